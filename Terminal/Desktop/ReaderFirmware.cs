using Terminal.Boards;
using Terminal.Ccid;
using Terminal.HostLink;
using Terminal.PinPad;
using Terminal.Slots;
using Terminal.Tracing;

namespace Terminal.Desktop
{
    /// <summary>
    /// The firmware wired as `terminal run` runs it: one <see cref="CardSlot"/> per board slot, the
    /// CCID device, the PIN pad (secure PIN service, pseudo-APDUs, clear-PIN policy) and the serial
    /// host link over any byte stream. `terminal run`, the soak and the host-link fuzz harness all
    /// build it here, so they exercise the same assembly.
    /// </summary>
    public sealed class ReaderFirmware
    {
        /// <summary>The firmware string answered to the firmware-version Escape.</summary>
        public const string FirmwareString = "Terminal SESAM reader 0.1.0";

        /// <summary>Wires the firmware over <paramref name="board"/> and <paramref name="stream"/>.</summary>
        /// <param name="board">The board (virtual or real) whose slots, keypad, display, LEDs and clock the firmware drives.</param>
        /// <param name="stream">The host link's bytes.</param>
        /// <param name="linkClock">The clock of the link's host-side timeouts (time requests).</param>
        /// <param name="profile">The reader type presented first (the host's first Escape may switch it).</param>
        /// <param name="refuseClearPin">True to refuse a PIN in clear from the host to the CPx slot (6982).</param>
        /// <param name="trace">A pcapng trace of both links, or null; with one, every slot is traced and the link's messages are recorded.</param>
        /// <param name="traceClock">The clock of the trace's timestamps (needed with <paramref name="trace"/>).</param>
        public ReaderFirmware(IBoard board, IByteStream stream, IWallClock linkClock, ReaderProfile profile, bool refuseClearPin, PcapngTrace? trace, ITraceClock? traceClock)
        {
            Slots = new CardSlot[board.SlotCount];
            ICcidSlot[] ccidSlots = new ICcidSlot[Slots.Length];
            for (int i = 0; i < Slots.Length; i++)
            {
                Slots[i] = new CardSlot(i, board.GetCardLine(i), board.Indicators, board.VoltageSupport, board.MaxDataRate);
                Slots[i].ReaderDoesPps = profile.ReaderDoesPps;
                ccidSlots[i] = trace == null ? Slots[i] : new TracedSlot(Slots[i], trace, traceClock!);
            }
            Device = new CcidDevice(ccidSlots, profile, FirmwareString, 0);
            Pins = new SecurePinService(board.Keypad!, board.Display, board.Indicators, board.Clock);
            Pins.ModifyLayout = LayoutFor(profile);
            Device.ProfileChanged += OnProfileChanged;
            Policy = new PinPolicy(board.SlotCount);
            Policy.SetEnforced(PinPolicy.CpxSlot, refuseClearPin);
            ReaderProperties readerInfo = new ReaderProperties { FirmwareVersion = "0.1.0", FirmwareId = FirmwareString };
            PinPad = new CcidPinPad(Device, Slots, Pins, readerInfo, Policy);
            Device.SecureHandler = PinPad;
            Link = new SerialHostLink(stream, Device, linkClock);
            if (trace != null)
            {
                Link.Trace = new PcapngLinkTrace(trace, traceClock!);
            }
            PinPad.KeepAlive = Link;
        }

        /// <summary>The slots, indexed as on the board.</summary>
        public CardSlot[] Slots { get; }

        /// <summary>The CCID device.</summary>
        public CcidDevice Device { get; }

        /// <summary>The secure PIN service behind the PIN pad.</summary>
        public SecurePinService Pins { get; }

        /// <summary>The clear-PIN policy.</summary>
        public PinPolicy Policy { get; }

        /// <summary>The PIN pad (the device's secure handler).</summary>
        public CcidPinPad PinPad { get; }

        /// <summary>The serial host link (call <see cref="SerialHostLink.Run"/> or <see cref="SerialHostLink.Poll"/>).</summary>
        public SerialHostLink Link { get; }

        /// <summary>Deactivates every card (end of a run).</summary>
        public void PowerOff()
        {
            for (int i = 0; i < Slots.Length; i++)
            {
                Slots[i].PowerOff();
            }
        }

        private void OnProfileChanged(ReaderProfile profile)
        {
            for (int i = 0; i < Slots.Length; i++)
            {
                Slots[i].ReaderDoesPps = profile.ReaderDoesPps;
            }
            Pins.ModifyLayout = LayoutFor(profile);
        }

        private static MessageIndexLayout LayoutFor(ReaderProfile profile)
        {
            return profile == ReaderProfile.GemPcPinPad ? MessageIndexLayout.AlwaysThree : MessageIndexLayout.Auto;
        }
    }
}
