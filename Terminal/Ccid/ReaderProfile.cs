namespace Terminal.Ccid
{
    /// <summary>Exchange level of a profile (CCID §5.1 dwFeatures bits 16 to 18).</summary>
    public enum ExchangeLevel
    {
        /// <summary>TPDU level: the host runs T=0 procedure follow-ups and the T=1 block protocol.</summary>
        Tpdu = 0,
        /// <summary>Short and extended APDU level: the reader runs the transmission protocol.</summary>
        ExtendedApdu = 1,
    }

    /// <summary>
    /// How the reader presents itself on a host link: the reader type the host driver expects
    /// (libccid's serial driver hard-codes one descriptor per DEVICENAME suffix, see
    /// design/pcsc-serial.md) or the native USB descriptor.
    /// </summary>
    public sealed class ReaderProfile
    {
        private readonly int[] _physicalSlots;

        private ReaderProfile(string name, int[] physicalSlots, bool echo, byte pinSupport, int features, bool readerDoesPps, ExchangeLevel level)
        {
            Name = name;
            _physicalSlots = physicalSlots;
            Echo = echo;
            PinSupport = pinSupport;
            Features = features;
            ReaderDoesPps = readerDoesPps;
            Level = level;
        }

        /// <summary>`sec1210`: two slots, no echo, the reader sets parameters from the ATR and does PPS (dwFeatures 0x000100B2).</summary>
        public static readonly ReaderProfile Sec1210 = new ReaderProfile("sec1210", new int[] { 0, 1 }, false, 0x00, 0x000100B2, true, ExchangeLevel.Tpdu);

        /// <summary>`gempcpinpad`: the CPx slot alone, echo of every command, PIN pad announced (bPINSupport 3); the host sends PPS in XfrBlock then SetParameters (dwFeatures 0x00010230).</summary>
        public static readonly ReaderProfile GemPcPinPad = new ReaderProfile("gempcpinpad", new int[] { 1 }, true, 0x03, 0x00010230, false, ExchangeLevel.Tpdu);

        /// <summary>Native USB: two slots, extended APDU level, PIN verify and modify, LCD 2x16 (see <see cref="CcidDescriptors"/>).</summary>
        public static readonly ReaderProfile NativeUsb = new ReaderProfile("usb", new int[] { 0, 1 }, false, 0x03, CcidDescriptors.NativeFeatures, true, ExchangeLevel.ExtendedApdu);

        /// <summary>The profile's name as given to `--profile`.</summary>
        public string Name { get; }

        /// <summary>Number of CCID slots the host sees.</summary>
        public int SlotCount => _physicalSlots.Length;

        /// <summary>True when the host driver reads and drops one frame before each real answer.</summary>
        public bool Echo { get; }

        /// <summary>bPINSupport the host assumes (bit 0 verify, bit 1 modify).</summary>
        public byte PinSupport { get; }

        /// <summary>dwFeatures the host assumes.</summary>
        public int Features { get; }

        /// <summary>True when the reader negotiates PPS itself at power-on; false when the host sends PPS inside an XfrBlock.</summary>
        public bool ReaderDoesPps { get; }

        /// <summary>The exchange level of XfrBlock.</summary>
        public ExchangeLevel Level { get; }

        /// <summary>The board slot behind CCID slot <paramref name="ccidSlot"/>, or -1 when the profile has no such slot.</summary>
        public int PhysicalSlot(int ccidSlot)
        {
            if (ccidSlot < 0 || ccidSlot >= _physicalSlots.Length)
            {
                return -1;
            }
            return _physicalSlots[ccidSlot];
        }

        /// <summary>The profile named <paramref name="name"/> (case-insensitive), or null.</summary>
        public static ReaderProfile? FromName(string name)
        {
            string lower = name.ToLower();
            if (lower == "sec1210")
            {
                return Sec1210;
            }
            if (lower == "gempcpinpad")
            {
                return GemPcPinPad;
            }
            if (lower == "usb")
            {
                return NativeUsb;
            }
            return null;
        }
    }
}
