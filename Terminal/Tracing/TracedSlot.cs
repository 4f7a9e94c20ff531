using Terminal.Ccid;
using Terminal.Iso7816;
using Terminal.Slots;

namespace Terminal.Tracing
{
    /// <summary>A monotonic microsecond clock shared by every record of a trace.</summary>
    public interface ITraceClock
    {
        /// <summary>Microseconds since an arbitrary origin; never goes back.</summary>
        long NowMicroseconds { get; }
    }

    /// <summary>
    /// A slot that records its card traffic in a <see cref="PcapngTrace"/>: every ATR, every PPS on the
    /// line (the reader's automatic one and the host's), T=0 TPDUs with their procedure bytes and
    /// responses, raw T=1 blocks and the APDUs they carry (reassembled across chained I-blocks), and
    /// the PIN pad's command to the card (through <see cref="PinCommands"/>, its data masked).
    /// Everything else is passed to the slot unchanged.
    /// </summary>
    public sealed class TracedSlot : ICcidSlot, ICardTraceListener
    {
        private readonly CardSlot _slot;
        private readonly PcapngTrace _trace;
        private readonly ITraceClock _clock;
        private readonly PinPadExchange _pinCommands;
        private readonly byte[] _toCard = new byte[65546];
        private readonly byte[] _fromCard = new byte[65546];
        private int _toCardLength;
        private int _fromCardLength;

        /// <summary>Traces <paramref name="slot"/> into <paramref name="trace"/> (it becomes the slot's trace listener).</summary>
        public TracedSlot(CardSlot slot, PcapngTrace trace, ITraceClock clock)
        {
            _slot = slot;
            _trace = trace;
            _clock = clock;
            _pinCommands = new PinPadExchange(this);
            slot.TraceListener = this;
        }

        /// <summary>The slot traced.</summary>
        public CardSlot Slot => _slot;

        /// <summary>
        /// The exchange the PIN pad uses for this slot (<see cref="CcidPinPad.SetExchange"/>): its commands
        /// carry the typed PIN, so their whole command data is masked in the trace whatever the INS.
        /// </summary>
        public ISlotExchange PinCommands => _pinCommands;

        /// <inheritdoc/>
        public int IccStatus => _slot.IccStatus;

        /// <inheritdoc/>
        public int ClockStatus => _slot.ClockStatus;

        /// <inheritdoc/>
        public int ChangeCount => _slot.ChangeCount;

        /// <inheritdoc/>
        public int PowerOn(int voltage, byte[] atr, int offset, out int atrLength)
        {
            // The ATRs (every class tried, the reset after a refused PPS) and the PPS come through the listener.
            int result = _slot.PowerOn(voltage, atr, offset, out atrLength);
            _toCardLength = 0;
            _fromCardLength = 0;
            return result;
        }

        /// <inheritdoc/>
        public void PowerOff() => _slot.PowerOff();

        /// <inheritdoc/>
        public int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength) =>
            Tpdu(command, offset, length, response, responseOffset, responseMax, out responseLength, false);

        /// <inheritdoc/>
        public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength) =>
            Apdu(command, offset, length, response, responseOffset, responseMax, out responseLength, false);

        private int Tpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength, bool pin)
        {
            // A host PPS goes to the card as is (CardSlot's rule); the listener records it from the line.
            bool pps = length >= 3 && length <= 6 && command[offset] == 0xFF && !_slot.ReaderDoesPps;
            bool t1 = _slot.Protocol == 1 && !pps;
            if (!pps)
            {
                Before(command, offset, length, t1, pin);
            }
            int result = _slot.TransmitTpdu(command, offset, length, response, responseOffset, responseMax, out responseLength);
            if (responseLength > 0 && !pps)
            {
                After(response, responseOffset, responseLength, t1);
            }
            return result;
        }

        private int Apdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength, bool pin)
        {
            long now = _clock.NowMicroseconds;
            if (pin)
            {
                _trace.PinCommand(now, _slot.Index, command, offset, length);
            }
            else
            {
                _trace.Command(now, _slot.Index, command, offset, length);
            }
            int result = _slot.TransmitApdu(command, offset, length, response, responseOffset, responseMax, out responseLength);
            if (responseLength > 0)
            {
                _trace.Response(_clock.NowMicroseconds, _slot.Index, response, responseOffset, responseLength);
            }
            return result;
        }

        private void Before(byte[] command, int offset, int length, bool t1, bool pin)
        {
            long now = _clock.NowMicroseconds;
            if (t1)
            {
                if (pin)
                {
                    _trace.PinT1Block(now, _slot.Index, command, offset, length);
                }
                else
                {
                    _trace.T1Block(now, _slot.Index, PcapngTrace.ReaderToCard, command, offset, length);
                }
                if (Reassemble(command, offset, length, _toCard, ref _toCardLength))
                {
                    if (pin)
                    {
                        _trace.PinCommand(now, _slot.Index, _toCard, 0, _toCardLength);
                    }
                    else
                    {
                        _trace.Command(now, _slot.Index, _toCard, 0, _toCardLength);
                    }
                    _toCardLength = 0;
                }
                if (pin)
                {
                    // The reassembly buffer held the PIN in clear: wipe it.
                    for (int i = 0; i < _toCard.Length; i++)
                    {
                        _toCard[i] = 0;
                    }
                }
            }
            else if (pin)
            {
                _trace.PinCommand(now, _slot.Index, command, offset, length);
            }
            else
            {
                _trace.Command(now, _slot.Index, command, offset, length);
            }
        }

        private void After(byte[] response, int offset, int length, bool t1)
        {
            long now = _clock.NowMicroseconds;
            if (t1)
            {
                _trace.T1Block(now, _slot.Index, PcapngTrace.CardToReader, response, offset, length);
                if (Reassemble(response, offset, length, _fromCard, ref _fromCardLength))
                {
                    _trace.Response(now, _slot.Index, _fromCard, 0, _fromCardLength);
                    _fromCardLength = 0;
                }
            }
            else
            {
                _trace.Response(now, _slot.Index, response, offset, length);
            }
        }

        /// <inheritdoc/>
        public void AtrReceived(byte[] atr, int offset, int length)
        {
            _trace.Atr(_clock.NowMicroseconds, _slot.Index, atr, offset, length);
        }

        /// <inheritdoc/>
        public void PpsExchanged(bool fromCard, byte[] pps, int offset, int length)
        {
            _trace.Pps(_clock.NowMicroseconds, _slot.Index, fromCard ? PcapngTrace.CardToReader : PcapngTrace.ReaderToCard, pps, offset, length);
        }

        /// <inheritdoc/>
        public void ProcedureBytes(byte[] bytes, int offset, int length)
        {
            _trace.T0Procedure(_clock.NowMicroseconds, _slot.Index, bytes, offset, length);
        }

        private sealed class PinPadExchange : ISlotExchange
        {
            private readonly TracedSlot _owner;

            public PinPadExchange(TracedSlot owner)
            {
                _owner = owner;
            }

            public int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength) =>
                _owner.Tpdu(command, offset, length, response, responseOffset, responseMax, out responseLength, true);

            public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength) =>
                _owner.Apdu(command, offset, length, response, responseOffset, responseMax, out responseLength, true);
        }

        /// <summary>Adds an I-block's information field to the chain; true when the chain is complete (M bit clear).</summary>
        private static bool Reassemble(byte[] block, int offset, int length, byte[] chain, ref int chainLength)
        {
            if (length < 4 || (block[offset + 1] & 0x80) != 0)
            {
                return false; // R- and S-blocks carry no APDU
            }
            int information = block[offset + 2];
            if (3 + information > length || chainLength + information > chain.Length)
            {
                chainLength = 0;
                return false;
            }
            System.Array.Copy(block, offset + 3, chain, chainLength, information);
            chainLength += information;
            return (block[offset + 1] & 0x20) == 0 && chainLength > 0;
        }

        /// <inheritdoc/>
        public int GetParameters(byte[] buffer, int offset, out int protocol, out int length) => _slot.GetParameters(buffer, offset, out protocol, out length);

        /// <inheritdoc/>
        public int SetParameters(int protocol, byte[] data, int offset, int length) => _slot.SetParameters(protocol, data, offset, length);

        /// <inheritdoc/>
        public int ResetParameters() => _slot.ResetParameters();

        /// <inheritdoc/>
        public int SetClock(bool stop) => _slot.SetClock(stop);

        /// <inheritdoc/>
        public int SetDataRateAndClock(int clockHz, int dataRate, out int actualClockHz, out int actualDataRate) =>
            _slot.SetDataRateAndClock(clockHz, dataRate, out actualClockHz, out actualDataRate);
    }

    /// <summary>The host link's CCID messages into a <see cref="PcapngTrace"/> (events are not recorded there).</summary>
    public sealed class PcapngLinkTrace : HostLink.ILinkTrace
    {
        private readonly PcapngTrace _trace;
        private readonly ITraceClock _clock;

        /// <summary>Records the link's messages into <paramref name="trace"/>.</summary>
        public PcapngLinkTrace(PcapngTrace trace, ITraceClock clock)
        {
            _trace = trace;
            _clock = clock;
        }

        /// <inheritdoc/>
        public void Message(bool fromHost, byte[] buffer, int offset, int length)
        {
            if (fromHost)
            {
                _trace.HostToReader(_clock.NowMicroseconds, buffer, offset, length);
            }
            else
            {
                _trace.ReaderToHost(_clock.NowMicroseconds, buffer, offset, length);
            }
        }

        /// <inheritdoc/>
        public void Event(string text)
        {
        }
    }
}
