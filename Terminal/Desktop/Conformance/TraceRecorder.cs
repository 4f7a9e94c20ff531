using System.Collections.Generic;
using Terminal.Ccid;
using Terminal.Slots;
using Terminal.Tracing;

namespace Terminal.Desktop.Conformance
{
    /// <summary>
    /// Feeds a case's <see cref="PcapngTrace"/>: every CCID message both ways on interface 0, and per
    /// slot the ATR, PPS, T=0 TPDUs and responses, raw T=1 blocks (from the line tap) and, at APDU
    /// level, the APDUs. Times are the board's virtual clock on top of the run's wall-clock start,
    /// kept non-decreasing.
    /// </summary>
    internal sealed class TraceRecorder
    {
        private readonly PcapngTrace? _trace;
        private readonly long _epochUs;
        private readonly Terminal.Simulator.VirtualBoard _board;
        private readonly LineTap[] _taps;
        private readonly CardSlot[] _slots;
        private readonly ReaderProfile _profile;
        private readonly int[] _seen;
        private long _last;

        public TraceRecorder(PcapngTrace? trace, long epochUs, Terminal.Simulator.VirtualBoard board, LineTap[] taps, CardSlot[] slots, ReaderProfile profile)
        {
            _trace = trace;
            _epochUs = epochUs;
            _board = board;
            _taps = taps;
            _slots = slots;
            _profile = profile;
            _seen = new int[taps.Length];
            _last = epochUs;
        }

        private long Stamp(long nanoseconds)
        {
            long t = _epochUs + nanoseconds / 1000;
            if (t < _last) { t = _last; }
            _last = t;
            return t;
        }

        public void Host(byte[] message, int length)
        {
            if (_trace == null) { return; }
            _trace.HostToReader(Stamp(_board.Clock.NowNanoseconds), message, 0, length);
        }

        public void Reply(byte[] command, int commandLength, byte[] reply, int replyLength)
        {
            if (_trace == null) { return; }
            int ccidSlot = commandLength > 5 ? command[5] : -1;
            int physical = ccidSlot >= 0 ? _profile.PhysicalSlot(ccidSlot) : -1;
            for (int i = 0; i < _taps.Length; i++)
            {
                SlotRecords(i, i == physical ? command : null, commandLength, reply, replyLength);
            }
            if (replyLength > 0)
            {
                _trace.ReaderToHost(Stamp(_board.Clock.NowNanoseconds), reply, 0, replyLength);
            }
        }

        // Groups the characters the tap saw since the last call into runs (one direction each) and
        // writes them as the record kinds traces.md names.
        private void SlotRecords(int slot, byte[]? command, int commandLength, byte[] reply, int replyLength)
        {
            List<TapChar> chars = _taps[slot].Chars;
            int start = _seen[slot];
            _seen[slot] = chars.Count;
            bool xfr = command != null && commandLength > 10 && command[0] == CcidMessage.XfrBlock;
            bool t1 = _slots[slot].Protocol == 1;
            bool apduLevel = _profile.Level == ExchangeLevel.ExtendedApdu;
            if (xfr && (!t1 || apduLevel) && !(command![10] == 0xFF && !apduLevel))
            {
                // T=0 TPDU or an APDU: the iso7816 dissector's records, from the CCID payload.
                long t = start < chars.Count ? chars[start].Nanoseconds : _board.Clock.NowNanoseconds;
                _trace!.Command(Stamp(t), slot, command, 10, commandLength - 10);
                if (replyLength > 10 && (reply[7] >> 6) == 0)
                {
                    _trace.Response(Stamp(_board.Clock.NowNanoseconds), slot, reply, 10, replyLength - 10);
                }
                if (!t1)
                {
                    return;
                }
            }
            byte[] run = new byte[512];
            int i = start;
            bool afterAtr = false;
            bool ppsPending = false;
            while (i < chars.Count)
            {
                bool fromCard = chars[i].FromCard;
                long t = chars[i].Nanoseconds;
                int n = 0;
                bool atr = fromCard && chars[i].CardIndex == 0;
                int j = i;
                while (j < chars.Count && chars[j].FromCard == fromCard && n < run.Length && (j == i || !(chars[j].FromCard && chars[j].CardIndex == 0)))
                {
                    run[n++] = chars[j].Value;
                    j++;
                }
                if (atr)
                {
                    _trace!.Atr(Stamp(t), slot, run, 0, n);
                    afterAtr = true;
                }
                else if (!fromCard && run[0] == 0xFF && (afterAtr || (command != null && commandLength > 10 && command[10] == 0xFF)))
                {
                    _trace!.Pps(Stamp(t), slot, PcapngTrace.ReaderToCard, run, 0, n);
                    ppsPending = true;
                }
                else if (fromCard && ppsPending)
                {
                    _trace!.Pps(Stamp(t), slot, PcapngTrace.CardToReader, run, 0, n);
                    ppsPending = false;
                }
                else if (t1)
                {
                    _trace!.T1Block(Stamp(t), slot, fromCard ? PcapngTrace.CardToReader : PcapngTrace.ReaderToCard, run, 0, n);
                }
                else if (fromCard && !xfr)
                {
                    _trace!.T0Procedure(Stamp(t), slot, run, 0, n);
                }
                i = j;
            }
        }
    }
}
