namespace Terminal.Pace
{
    /// <summary>Results of the PACE steps (<see cref="PaceCrypto"/>): 0 is success, negatives are failures that end
    /// the protocol (the caller wipes every key and reports the error to the host).</summary>
    public static class PaceError
    {
        /// <summary>Success.</summary>
        public const int None = 0;

        /// <summary>A point from the card is not an uncompressed point on the curve (TR-03110-3 A.3.4 check).</summary>
        public const int PointNotOnCurve = -1;

        /// <summary>The card's ephemeral public key equals ours (TR-03110-3 A.3.4: they must differ).</summary>
        public const int SamePublicKeys = -2;

        /// <summary>A computed point is the point at infinity (degenerate mapping or key agreement).</summary>
        public const int PointAtInfinity = -3;

        /// <summary>The card's authentication token does not match (wrong password or tampering).</summary>
        public const int TokenMismatch = -4;

        /// <summary>A length does not fit the algorithm or curve (nonce not a whole number of AES blocks...).</summary>
        public const int BadLength = -5;
    }
}
