namespace Terminal.PinPad
{
    /// <summary>How one PIN prompt ended.</summary>
    public enum PinEntryOutcome
    {
        /// <summary>The user validated a PIN of an accepted length (OK, or the max-length / timeout validation the host allowed).</summary>
        Entered = 0,

        /// <summary>The user pressed Cancel.</summary>
        Cancelled = 1,

        /// <summary>No key within the first-digit or next-digit timer, or the overall limit passed.</summary>
        Timeout = 2,

        /// <summary>The card left the slot during the entry.</summary>
        CardRemoved = 3,
    }
}
