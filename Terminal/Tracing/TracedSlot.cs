using Terminal.Ccid;
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
    /// A slot that records its card traffic in a <see cref="PcapngTrace"/>: the ATR, T=0 TPDUs and their
    /// responses, host-built PPS, raw T=1 blocks and the APDUs they carry (reassembled across chained
    /// I-blocks). Everything else is passed to the slot unchanged.
    /// </summary>
    public sealed class TracedSlot : ICcidSlot
    {
        private readonly CardSlot _slot;
        private readonly PcapngTrace _trace;
        private readonly ITraceClock _clock;
        private readonly byte[] _toCard = new byte[65546];
        private readonly byte[] _fromCard = new byte[65546];
        private int _toCardLength;
        private int _fromCardLength;

        /// <summary>Traces <paramref name="slot"/> into <paramref name="trace"/>.</summary>
        public TracedSlot(CardSlot slot, PcapngTrace trace, ITraceClock clock)
        {
            _slot = slot;
            _trace = trace;
            _clock = clock;
        }

        /// <summary>The slot traced.</summary>
        public CardSlot Slot => _slot;

        /// <inheritdoc/>
        public int IccStatus => _slot.IccStatus;

        /// <inheritdoc/>
        public int ClockStatus => _slot.ClockStatus;

        /// <inheritdoc/>
        public int ChangeCount => _slot.ChangeCount;

        /// <inheritdoc/>
        public int PowerOn(int voltage, byte[] atr, int offset, out int atrLength)
        {
            int result = _slot.PowerOn(voltage, atr, offset, out atrLength);
            if (atrLength > 0)
            {
                _trace.Atr(_clock.NowMicroseconds, _slot.Index, atr, offset, atrLength);
            }
            _toCardLength = 0;
            _fromCardLength = 0;
            return result;
        }

        /// <inheritdoc/>
        public void PowerOff() => _slot.PowerOff();

        /// <inheritdoc/>
        public int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            bool pps = length >= 3 && command[offset] == 0xFF;
            bool t1 = _slot.Protocol == 1 && !pps;
            Before(command, offset, length, pps, t1);
            int result = _slot.TransmitTpdu(command, offset, length, response, responseOffset, responseMax, out responseLength);
            if (responseLength > 0)
            {
                After(response, responseOffset, responseLength, pps, t1);
            }
            return result;
        }

        /// <inheritdoc/>
        public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            _trace.Command(_clock.NowMicroseconds, _slot.Index, command, offset, length);
            int result = _slot.TransmitApdu(command, offset, length, response, responseOffset, responseMax, out responseLength);
            if (responseLength > 0)
            {
                _trace.Response(_clock.NowMicroseconds, _slot.Index, response, responseOffset, responseLength);
            }
            return result;
        }

        private void Before(byte[] command, int offset, int length, bool pps, bool t1)
        {
            long now = _clock.NowMicroseconds;
            if (pps)
            {
                _trace.Pps(now, _slot.Index, PcapngTrace.ReaderToCard, command, offset, length);
            }
            else if (t1)
            {
                _trace.T1Block(now, _slot.Index, PcapngTrace.ReaderToCard, command, offset, length);
                if (Reassemble(command, offset, length, _toCard, ref _toCardLength))
                {
                    _trace.Command(now, _slot.Index, _toCard, 0, _toCardLength);
                    _toCardLength = 0;
                }
            }
            else
            {
                _trace.Command(now, _slot.Index, command, offset, length);
            }
        }

        private void After(byte[] response, int offset, int length, bool pps, bool t1)
        {
            long now = _clock.NowMicroseconds;
            if (pps)
            {
                _trace.Pps(now, _slot.Index, PcapngTrace.CardToReader, response, offset, length);
            }
            else if (t1)
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
