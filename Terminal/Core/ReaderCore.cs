using Terminal.Boards;
using Terminal.Ccid;
using Terminal.HostLink;
using Terminal.PinPad;
using Terminal.Slots;
using Terminal.Tracing;

namespace Terminal.Core
{
    /// <summary>
    /// The firmware above the board, assembled the same way on every board (ESP32, Linux board,
    /// virtual board): a <see cref="CardSlot"/> per card line, the <see cref="CcidDevice"/> over them,
    /// the PIN pad on the keypad and display when the board has a keypad, and the
    /// <see cref="SerialHostLink"/> on the host byte stream. The entry points only choose the board,
    /// the byte stream and the options, then call <see cref="Run"/>.
    /// </summary>
    public sealed class ReaderCore
    {
        /// <summary>The firmware version (keep in step with Terminal.csproj's Version).</summary>
        public const string Version = "0.1.0";

        /// <summary>The firmware string the host reads (Escape 02, GetReaderInfo); under 50 bytes for libccid.</summary>
        public const string FirmwareId = "Terminal SESAM reader 0.1.0";

        private readonly IBoard _board;
        private readonly CardSlot[] _slots;
        private readonly CcidDevice _device;
        private readonly SecurePinService? _pins;
        private readonly CcidPinPad? _pinPad;
        private readonly ReaderProperties _properties;
        private CcidPace? _pace;
        private readonly SerialHostLink _link;

        /// <summary>Wires the firmware on <paramref name="board"/>, talking to the host over <paramref name="host"/>.</summary>
        /// <param name="board">The hardware: card lines, keypad, display, indicators, clock.</param>
        /// <param name="host">The host link's byte stream (a UART, a pty, TCP).</param>
        /// <param name="wallClock">Real milliseconds for the host's timeouts (the board clock may be virtual).</param>
        /// <param name="profile">The reader type shown to the host until its driver asks for another.</param>
        /// <param name="refuseClearPin">True to refuse with 6982 a PIN in clear from the host to the CPx slot.</param>
        /// <param name="trace">A pcapng capture of the slots and the link, or null.</param>
        /// <param name="traceClock">The capture's clock (with <paramref name="trace"/>), or null.</param>
        public ReaderCore(IBoard board, IByteStream host, IWallClock wallClock, ReaderProfile profile, bool refuseClearPin,
            PcapngTrace? trace, ITraceClock? traceClock)
        {
            _board = board;
            _slots = new CardSlot[board.SlotCount];
            ICcidSlot[] ccidSlots = new ICcidSlot[_slots.Length];
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new CardSlot(i, board.GetCardLine(i), board.Indicators, board.VoltageSupport, board.MaxDataRate);
                _slots[i].ReaderDoesPps = profile.ReaderDoesPps;
                ccidSlots[i] = trace != null && traceClock != null ? new TracedSlot(_slots[i], trace, traceClock) : (ICcidSlot)_slots[i];
            }
            _device = new CcidDevice(ccidSlots, profile, FirmwareId, 0);

            _properties = NewProperties();
            if (board.Keypad != null)
            {
                _pinPad = InstallPinPad(_device, _slots, board, refuseClearPin, _properties, out _pins);
                for (int i = 0; i < ccidSlots.Length; i++)
                {
                    TracedSlot? traced = ccidSlots[i] as TracedSlot;
                    if (traced != null)
                    {
                        // The PIN pad's own command to the card belongs in the card trace too (masked).
                        _pinPad.SetExchange(i, traced.PinCommands);
                    }
                }
            }
            _device.ProfileChanged += OnProfileChanged;

            _link = new SerialHostLink(host, _device, wallClock);
            if (trace != null && traceClock != null)
            {
                _link.Trace = new PcapngLinkTrace(trace, traceClock);
            }
            if (_pinPad != null)
            {
                _pinPad.KeepAlive = _link;
            }
        }

        /// <summary>The board it runs on.</summary>
        public IBoard Board
        {
            get { return _board; }
        }

        /// <summary>The slots, by board slot number.</summary>
        public CardSlot[] Slots
        {
            get { return _slots; }
        }

        /// <summary>The CCID device.</summary>
        public CcidDevice Device
        {
            get { return _device; }
        }

        /// <summary>The PIN pad, or null on a board without a keypad.</summary>
        public CcidPinPad? PinPad
        {
            get { return _pinPad; }
        }

        /// <summary>PACE from the host (null until <see cref="EnablePace"/>).</summary>
        public CcidPace? Pace
        {
            get { return _pace; }
        }

        /// <summary>
        /// Offers PACE to the host (PC/SC part 10 FEATURE_EXECUTE_PACE, CCID Secure bPINOperation 10h/20h,
        /// TR-03119 boxing): the password from the keypad, the channel run with <paramref name="ciphers"/> and
        /// <paramref name="ec"/>. A board without elliptic-curve arithmetic (the ESP32 build today) does not call it.
        /// </summary>
        /// <param name="ciphers">AES and CMAC for the key derivation and the channel.</param>
        /// <param name="ec">The elliptic-curve arithmetic of the mapping and key agreement.</param>
        /// <returns>The PACE layer, or null on a board without a keypad (no PIN pad to carry it).</returns>
        public CcidPace? EnablePace(Terminal.Iso7816.Crypto.ICipherFactory ciphers, Terminal.Pace.IEcProvider ec)
        {
            if (_pinPad == null || _pins == null)
            {
                return null;
            }
            if (_pace == null)
            {
                _pace = new CcidPace(_slots, new Terminal.Pace.PaceService(_pins.Entry, _board.Clock, ciphers, ec));
                _pinPad.Pace = _pace;
                _properties.ExecutePace = true;
            }
            return _pace;
        }

        /// <summary>The host link (its trace, counters, <see cref="SerialHostLink.Poll"/>).</summary>
        public SerialHostLink Link
        {
            get { return _link; }
        }

        /// <summary>Answers the host until <see cref="Stop"/>, on the calling thread; then powers every card off.</summary>
        public void Run()
        {
            _link.Run();
            PowerOff();
        }

        /// <summary>Ends <see cref="Run"/> within about 100 ms (from any thread).</summary>
        public void Stop()
        {
            _link.Stop();
        }

        /// <summary>Deactivates every slot (ISO/IEC 7816-3 §6.4).</summary>
        public void PowerOff()
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].PowerOff();
            }
        }

        /// <summary>The idle screen: the firmware and "Pret" (ready).</summary>
        public void ShowIdle()
        {
            ITextDisplay? display = _board.Display;
            if (display != null)
            {
                display.Show(0, $"Terminal {Version}");
                display.Show(1, "Pret");
            }
        }

        /// <summary>One log line for a finished secure PIN operation: outcome, status word, bError, whether the PIN buffers are clear. Never a digit of the PIN.</summary>
        public static string Describe(SecurePinResult result, bool buffersClear)
        {
            string operation = result.Operation == PinOperation.Modify ? "modify" : "verify";
            string sw = result.StatusWord < 0 ? "none" : DisplayHex4(result.StatusWord);
            string buffers = buffersClear ? "clear" : "NOT CLEAR";
            return $"secure PIN {operation}: {OutcomeName(result.Outcome)}, SW {sw}, bError {DisplayHex2(result.BError)}, PIN buffers {buffers}";
        }

        /// <summary>
        /// Installs the PIN pad in <paramref name="device"/> the way the firmware runs it: the secure PIN
        /// service on the board's keypad, display, LEDs and clock, the modify layout of the reader type,
        /// the clear-PIN policy on the CPx slot and the reader properties. The conformance runner uses it
        /// too, so its PIN cases test what a host meets.
        /// </summary>
        /// <param name="device">The CCID device (its current profile picks the modify layout).</param>
        /// <param name="slots">The board's card slots, by board slot number.</param>
        /// <param name="board">Keypad (not null), display, indicators, clock.</param>
        /// <param name="refuseClearPin">True to refuse with 6982 a PIN in clear from the host to the CPx slot.</param>
        /// <param name="properties">What GET_TLV_PROPERTIES and the feature list say (<see cref="NewProperties"/>).</param>
        /// <param name="pins">The secure PIN service (its layout follows later profile switches through the caller).</param>
        public static CcidPinPad InstallPinPad(CcidDevice device, CardSlot[] slots, IBoard board, bool refuseClearPin, ReaderProperties properties, out SecurePinService pins)
        {
            IKeypad? keypad = board.Keypad;
            if (keypad == null)
            {
                throw new System.ArgumentException("the board has no keypad", "board");
            }
            pins = new SecurePinService(keypad, board.Display, board.Indicators, board.Clock);
            pins.ModifyLayout = LayoutFor(device.Profile);
            PinPolicy policy = new PinPolicy(board.SlotCount);
            policy.SetEnforced(PinPolicy.CpxSlot, refuseClearPin);
            CcidPinPad pinPad = new CcidPinPad(device, slots, pins, properties, policy);
            device.SecureHandler = pinPad;
            return pinPad;
        }

        /// <summary>
        /// bPINSupport of the class descriptor (CCID rev 1.1 §5.1) for this firmware on <paramref name="board"/>:
        /// verify and modify with a keypad, and the PACE bits (10h capabilities, 20h execute) when
        /// <see cref="EnablePace"/> is called; nothing without a keypad.
        /// </summary>
        public static int PinSupport(IBoard board, bool pace)
        {
            if (board.Keypad == null)
            {
                return 0;
            }
            int bits = CcidDescriptors.PinVerify | CcidDescriptors.PinModify;
            return pace ? bits | CcidDescriptors.PinPaceCapabilities | CcidDescriptors.PinPaceExecute : bits;
        }

        /// <summary>The reader properties of this firmware: its version and identification string, no PACE until <see cref="EnablePace"/>.</summary>
        public static ReaderProperties NewProperties()
        {
            ReaderProperties properties = new ReaderProperties();
            properties.FirmwareVersion = Version;
            properties.FirmwareId = FirmwareId;
            return properties;
        }

        /// <summary>The modify-structure layout for a reader type: GemPC Pinpad hosts always send three message indexes.</summary>
        public static MessageIndexLayout LayoutFor(ReaderProfile profile)
        {
            return profile == ReaderProfile.GemPcPinPad ? MessageIndexLayout.AlwaysThree : MessageIndexLayout.Auto;
        }

        private void OnProfileChanged(ReaderProfile profile)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].ReaderDoesPps = profile.ReaderDoesPps;
            }
            if (_pins != null)
            {
                _pins.ModifyLayout = LayoutFor(profile);
            }
        }

        private static string DisplayHex4(int value)
        {
            return Terminal.Display.DisplayTexts.Hex4(value);
        }

        private static string DisplayHex2(int value)
        {
            return Terminal.Display.DisplayTexts.Hex4(value & 0xFF).Substring(2);
        }

        // Names spelled out: Enum.ToString gives the number on nanoFramework.
        private static string OutcomeName(SecurePinOutcome outcome)
        {
            switch (outcome)
            {
                case SecurePinOutcome.CardAnswered: return "CardAnswered";
                case SecurePinOutcome.Timeout: return "Timeout";
                case SecurePinOutcome.Cancelled: return "Cancelled";
                case SecurePinOutcome.Mismatch: return "Mismatch";
                case SecurePinOutcome.CardRemoved: return "CardRemoved";
                case SecurePinOutcome.CardMute: return "CardMute";
                case SecurePinOutcome.InvalidStructure: return "InvalidStructure";
                default: return "unknown";
            }
        }
    }
}
