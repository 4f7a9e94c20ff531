namespace Terminal.Iso7816
{
    /// <summary>
    /// Which Fi/Di to propose in PPS: the fastest the card offers (its TA1, else a lower Di with the same
    /// Fi, the way readers commonly step down) that the board can drive: its clock f must not exceed
    /// fmax(Fi) and f x Di / Fi must not exceed the board's maximum data rate.
    /// </summary>
    public static class SpeedPolicy
    {
        // Di values in decreasing order, as the search steps down from the card's own.
        private static readonly int[] DiDescending = new int[] { 64, 32, 20, 16, 12, 8, 4, 2, 1 };

        /// <summary>
        /// Chooses the TA1 indices to propose. Returns false when nothing faster than Fd/Dd is possible
        /// (no TA1, RFU TA1, clock above fmax, or only the default fits): no PPS for the rate then.
        /// </summary>
        public static bool Choose(Atr atr, int clockHz, int maxBitRate, out int fiIndex, out int diIndex)
        {
            fiIndex = 1;
            diIndex = 1;
            if (atr == null || !atr.HasTa1 || clockHz <= 0)
            {
                return false;
            }
            int fi = atr.Fi;
            int cardDi = atr.Di;
            if (fi == 0 || cardDi == 0 || (long)clockHz > (long)atr.FmaxKhz * 1000)
            {
                return false;
            }
            for (int i = 0; i < DiDescending.Length; i++)
            {
                int di = DiDescending[i];
                if (di > cardDi)
                {
                    continue;
                }
                long rate = (long)clockHz * di / fi;
                if (rate <= maxBitRate)
                {
                    if (di * Timing.DefaultFi <= fi * Timing.DefaultDi)
                    {
                        // Not faster than Fd/Dd.
                        return false;
                    }
                    fiIndex = atr.FiIndex;
                    diIndex = RateTables.DiIndexOf(di);
                    return true;
                }
            }
            return false;
        }

        /// <summary>The bit rate f x Di / Fi in bits per second.</summary>
        public static long BitRate(int clockHz, int fi, int di)
        {
            return fi <= 0 ? 0 : (long)clockHz * di / fi;
        }
    }
}
