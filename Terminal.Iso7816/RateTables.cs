namespace Terminal.Iso7816
{
    /// <summary>The tables of ISO/IEC 7816-3 §8.3: Fi and fmax (Table 7) and Di (Table 8), indexed by the TA1 nibbles.</summary>
    public static class RateTables
    {
        private static readonly int[] FiTable = new int[] { 372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0 };
        private static readonly int[] FmaxKhzTable = new int[] { 4000, 5000, 6000, 8000, 12000, 16000, 20000, 0, 0, 5000, 7500, 10000, 15000, 20000, 0, 0 };
        private static readonly int[] DiTable = new int[] { 0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0 };

        /// <summary>Fi for the high nibble of TA1; 0 for an RFU index.</summary>
        public static int Fi(int index)
        {
            return index < 0 || index > 15 ? 0 : FiTable[index];
        }

        /// <summary>fmax in kHz for the high nibble of TA1; 0 for an RFU index.</summary>
        public static int FmaxKhz(int index)
        {
            return index < 0 || index > 15 ? 0 : FmaxKhzTable[index];
        }

        /// <summary>Di for the low nibble of TA1; 0 for an RFU index.</summary>
        public static int Di(int index)
        {
            return index < 0 || index > 15 ? 0 : DiTable[index];
        }

        /// <summary>The Di index (low nibble of TA1) of a Di value, or -1 when none has it.</summary>
        public static int DiIndexOf(int di)
        {
            for (int i = 1; i < 10; i++)
            {
                if (DiTable[i] == di)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>The first Fi index of an Fi value, or -1 when none has it.</summary>
        public static int FiIndexOf(int fi)
        {
            // Index 1 before index 0: both mean 372, and 1 allows the higher fmax.
            for (int i = 1; i < 17; i++)
            {
                if (FiTable[i & 15] == fi && fi != 0)
                {
                    return i & 15;
                }
            }
            return -1;
        }
    }
}
