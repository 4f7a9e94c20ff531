using System;
using System.Collections.Generic;

namespace Terminal.Simulator
{
    /// <summary>
    /// The card side's own reading of its ATR (written apart from the reader's parser in
    /// Terminal.Iso7816, so each checks the other): what the card offers and requires.
    /// </summary>
    public sealed class AtrInfo
    {
        private static readonly int[] FiTable = { 372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0 };
        private static readonly int[] DiTable = { 0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0 };

        /// <summary>The ATR bytes in logical values.</summary>
        public byte[] Bytes { get; }

        /// <summary>Convention from TS (3B direct, 3F inverse).</summary>
        public Terminal.Iso7816.Convention Convention { get; }

        /// <summary>TA1, or 0x11 when absent.</summary>
        public byte Ta1 { get; private set; } = 0x11;

        /// <summary>True when TA1 is present.</summary>
        public bool HasTa1 { get; private set; }

        /// <summary>TC1 (extra guard time N), 0 when absent.</summary>
        public int ExtraGuard { get; private set; }

        /// <summary>True when TA2 is present: specific mode, no PPS.</summary>
        public bool SpecificMode { get; private set; }

        /// <summary>In specific mode: the protocol TA2 names.</summary>
        public int SpecificProtocol { get; private set; }

        /// <summary>In specific mode: true when TA2 b5 says to use the implicit (default) parameters instead of TA1.</summary>
        public bool SpecificImplicit { get; private set; }

        /// <summary>WI from TC2 (10 when absent).</summary>
        public int WorkWaitingIndex { get; private set; } = 10;

        /// <summary>Protocols offered, in the order of the TDi (T=0 when none).</summary>
        public IReadOnlyList<int> Protocols => _protocols;

        /// <summary>IFSC from the first TA for T=1 (32 when absent).</summary>
        public int Ifsc { get; private set; } = 32;

        /// <summary>BWI from the first TB for T=1 (4 when absent).</summary>
        public int Bwi { get; private set; } = 4;

        /// <summary>CWI from the first TB for T=1 (13 when absent).</summary>
        public int Cwi { get; private set; } = 13;

        /// <summary>True when the first TC for T=1 selects CRC.</summary>
        public bool Crc { get; private set; }

        /// <summary>The historical bytes' count.</summary>
        public int HistoricalCount { get; private set; }

        /// <summary>True when a TCK is present (a protocol other than T=0 is offered).</summary>
        public bool HasTck { get; private set; }

        private readonly List<int> _protocols = new List<int>();

        /// <summary>Reads an ATR; throws <see cref="FormatException"/> on a malformed profile ATR.</summary>
        public AtrInfo(byte[] atr)
        {
            Bytes = atr;
            if (atr.Length < 2 || (atr[0] != 0x3B && atr[0] != 0x3F))
            {
                throw new FormatException("ATR must start with TS 3B or 3F");
            }
            Convention = atr[0] == 0x3F ? Terminal.Iso7816.Convention.Inverse : Terminal.Iso7816.Convention.Direct;
            int i = 1;
            int y = atr[i] >> 4;
            HistoricalCount = atr[i] & 0x0F;
            i++;
            int level = 1;
            int lastT = -1;
            bool firstT1Seen = false;
            while (true)
            {
                int ta = -1, tb = -1, tc = -1, td = -1;
                if ((y & 1) != 0) { ta = At(atr, i++); }
                if ((y & 2) != 0) { tb = At(atr, i++); }
                if ((y & 4) != 0) { tc = At(atr, i++); }
                if ((y & 8) != 0) { td = At(atr, i++); }
                if (level == 1)
                {
                    if (ta >= 0) { Ta1 = (byte)ta; HasTa1 = true; }
                    if (tc >= 0) { ExtraGuard = tc; }
                }
                else if (level == 2)
                {
                    if (ta >= 0)
                    {
                        SpecificMode = true;
                        SpecificProtocol = ta & 0x0F;
                        SpecificImplicit = (ta & 0x10) != 0;
                    }
                    if (tc >= 0 && lastT == 0) { WorkWaitingIndex = tc; }
                }
                else if (lastT == 1 && !firstT1Seen)
                {
                    firstT1Seen = true;
                    if (ta >= 0) { Ifsc = ta; }
                    if (tb >= 0) { Bwi = tb >> 4; Cwi = tb & 0x0F; }
                    if (tc >= 0) { Crc = (tc & 1) != 0; }
                }
                if (td < 0)
                {
                    break;
                }
                int t = td & 0x0F;
                if (t != 15 && !_protocols.Contains(t))
                {
                    _protocols.Add(t);
                }
                if (t != 0)
                {
                    HasTck = true;
                }
                lastT = t;
                y = td >> 4;
                level++;
            }
            if (_protocols.Count == 0)
            {
                _protocols.Add(0);
            }
            if (i + HistoricalCount + (HasTck ? 1 : 0) != atr.Length)
            {
                throw new FormatException($"ATR length {atr.Length} does not match its interface and historical bytes");
            }
        }

        /// <summary>Fi of a TA1-style byte (F in the high nibble).</summary>
        public static int Fi(byte ta) => FiTable[ta >> 4];

        /// <summary>Di of a TA1-style byte (D in the low nibble).</summary>
        public static int Di(byte ta) => DiTable[ta & 0x0F];

        /// <summary>XOR of T0 to the last byte before TCK: the TCK a correct ATR carries.</summary>
        public static byte ComputeTck(byte[] atr, int countWithoutTck)
        {
            byte x = 0;
            for (int k = 1; k < countWithoutTck; k++)
            {
                x ^= atr[k];
            }
            return x;
        }

        private static int At(byte[] atr, int i)
        {
            if (i >= atr.Length)
            {
                throw new FormatException("ATR truncated in its interface bytes");
            }
            return atr[i];
        }
    }
}
