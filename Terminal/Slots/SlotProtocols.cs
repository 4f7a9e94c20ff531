using Terminal.Iso7816;

namespace Terminal.Slots
{
    /// <summary>
    /// The two card exchanges the slot needs at TPDU level besides T=0: the PPS exchange (ISO/IEC
    /// 7816-3 §9) and one T=1 block each way as the host framed it (§11.3, §11.4.3 BWT/CWT/BGT).
    /// The host runs the T=1 protocol; the reader only has to know where a block ends.
    /// </summary>
    public sealed class SlotProtocols
    {
        private readonly ICardLine _line;
        private readonly Timing _timing;
        private readonly byte[] _pps = new byte[6];
        private readonly byte[] _ppsResponse = new byte[6];

        /// <summary>Exchanges on <paramref name="line"/> with the waiting times of <paramref name="timing"/>.</summary>
        public SlotProtocols(ICardLine line, Timing timing)
        {
            _line = line;
            _timing = timing;
        }

        /// <summary>WTX multiplier for the next block received (S(WTX response) INF), then back to 1.</summary>
        public int WtxMultiplier { get; set; } = 1;

        /// <summary>
        /// Chooses the fastest Fi/Di the card offers in TA1 within the clock's fmax and the UART's
        /// bit rate; the same Fi with a lower Di when TA1's is too fast. False: stay at the default.
        /// </summary>
        public static bool ChooseSpeed(Atr atr, int clockHz, int maxBitRate, out int fiIndex, out int diIndex)
        {
            fiIndex = 1;
            diIndex = 1;
            if (!atr.HasTa1 || atr.Fi <= 0 || atr.Di <= 0 || (atr.FiIndex == 1 && atr.DiIndex == 1))
            {
                return false;
            }
            if ((long)atr.FmaxKhz * 1000 < clockHz)
            {
                return false;
            }
            for (int d = atr.DiIndex; d >= 1; d--)
            {
                int di = RateTables.Di(d);
                if (di <= 0)
                {
                    continue;
                }
                long rate = (long)clockHz * di / atr.Fi;
                if (rate <= maxBitRate)
                {
                    if (atr.FiIndex == 1 && d == 1)
                    {
                        return false;
                    }
                    fiIndex = atr.FiIndex;
                    diIndex = d;
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Sends PPS for <paramref name="protocol"/> with PPS1 = Fi/Di and reads the answer. Returns 1
        /// when the card echoed PPS1 (the new rate is in force on the line), 0 when it accepted without
        /// PPS1 (default rate), or a <see cref="TransmissionError"/>.
        /// </summary>
        public int Negotiate(int protocol, int fiIndex, int diIndex, Convention convention)
        {
            _pps[0] = 0xFF;
            _pps[1] = (byte)(0x10 | protocol);
            _pps[2] = (byte)((fiIndex << 4) | diIndex);
            _pps[3] = (byte)(_pps[0] ^ _pps[1] ^ _pps[2]);
            int n = TransmitRaw(_pps, 0, 4, _ppsResponse, 0);
            if (n < 0)
            {
                return n;
            }
            if (_ppsResponse[0] != 0xFF || (_ppsResponse[1] & 0x0F) != protocol)
            {
                return TransmissionError.PpsFailed;
            }
            if ((_ppsResponse[1] & 0x10) == 0)
            {
                return 0;
            }
            if (_ppsResponse[2] != _pps[2])
            {
                return TransmissionError.PpsFailed;
            }
            _timing.SetRate(RateTables.Fi(fiIndex), RateTables.Di(diIndex));
            _line.Configure(convention, _timing.Fi, _timing.Di, _timing.GuardTimeEtu(protocol), protocol == 0);
            return 1;
        }

        /// <summary>
        /// Sends a PPS request as given (the host's, inside XfrBlock) and reads the response, whose
        /// length PPS0 announces, under the initial waiting time. Returns its length or an error.
        /// </summary>
        public int TransmitRaw(byte[] request, int offset, int length, byte[] response, int responseOffset)
        {
            // 16 ETU between the card's last character (the ATR) and ours.
            _line.Wait(_timing.EtuCycles(16));
            _line.Send(request, offset, length);
            int c = Next(Timing.InitialWaitingCycles);
            if (c < 0)
            {
                return c;
            }
            response[responseOffset] = (byte)c;
            c = Next(Timing.InitialWaitingCycles);
            if (c < 0)
            {
                return c;
            }
            response[responseOffset + 1] = (byte)c;
            int count = 2;
            int pps0 = c;
            int optional = ((pps0 >> 4) & 1) + ((pps0 >> 5) & 1) + ((pps0 >> 6) & 1);
            for (int i = 0; i <= optional; i++)
            {
                c = Next(Timing.InitialWaitingCycles);
                if (c < 0)
                {
                    return c;
                }
                response[responseOffset + count++] = (byte)c;
            }
            int check = 0;
            for (int i = 0; i < count; i++)
            {
                check ^= response[responseOffset + i];
            }
            return check == 0 ? count : TransmissionError.PpsFailed;
        }

        /// <summary>
        /// Sends a T=1 block after the block guard time and reads the card's block: BWT (times the
        /// WTX multiplier) for its first character, CWT between the following ones; LEN and the EDC
        /// (LRC or CRC) tell where it ends. Returns the block's length or an error.
        /// </summary>
        public int ExchangeBlock(byte[] block, int offset, int length, bool crc, byte[] response, int responseOffset, int responseMax)
        {
            _line.Wait(_timing.BgtCycles);
            _line.Send(block, offset, length);
            int multiplier = WtxMultiplier;
            WtxMultiplier = 1;
            int c = Next(_timing.BwtCyclesWithWtx(multiplier < 1 ? 1 : multiplier));
            if (c < 0)
            {
                return c;
            }
            if (responseMax < 4)
            {
                return TransmissionError.Overrun;
            }
            response[responseOffset] = (byte)c;
            for (int i = 1; i < 3; i++)
            {
                c = Next(_timing.CwtCycles);
                if (c < 0)
                {
                    return c;
                }
                response[responseOffset + i] = (byte)c;
            }
            int total = 3 + response[responseOffset + 2] + (crc ? 2 : 1);
            if (total > responseMax)
            {
                return TransmissionError.Overrun;
            }
            for (int i = 3; i < total; i++)
            {
                c = Next(_timing.CwtCycles);
                if (c < 0)
                {
                    return c;
                }
                response[responseOffset + i] = (byte)c;
            }
            return total;
        }

        private int Next(long timeout)
        {
            int c = _line.Receive(timeout);
            if (c == LineStatus.Timeout)
            {
                return TransmissionError.Mute;
            }
            if (c == LineStatus.NoCard)
            {
                return TransmissionError.CardRemoved;
            }
            if ((c & LineStatus.ParityError) != 0)
            {
                return TransmissionError.ParityError;
            }
            return c;
        }
    }
}
