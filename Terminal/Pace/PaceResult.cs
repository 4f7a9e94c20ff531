namespace Terminal.Pace
{
    /// <summary>Outcome of <see cref="PaceReader.Establish"/>. Every failure leaves no key behind.</summary>
    public static class PaceResult
    {
        /// <summary>The channel is established; <see cref="PaceReader.SecureMessaging"/> protects the next APDUs.</summary>
        public const int Success = 0;

        /// <summary>The card could not be reached (removed, mute, reset) during the protocol.</summary>
        public const int TransmitFailed = -20;

        /// <summary>MSE:Set AT was refused; <see cref="PaceReader.MseStatusWord"/> has the card's status word.</summary>
        public const int MseSetAtFailed = -21;

        /// <summary>A General Authenticate step was refused (a wrong password shows as 63Cx or 6300 on the token
        /// step); <see cref="PaceReader.CardStatusWord"/> has the status word.</summary>
        public const int GeneralAuthenticateFailed = -22;

        /// <summary>A response's dynamic authentication data (7C) is not what the step expects.</summary>
        public const int MalformedResponse = -23;

        /// <summary>The password is empty or the CHAT does not fit a short APDU.</summary>
        public const int BadParameter = -24;

        /// <summary>A point from the card is not on the curve (<see cref="PaceError.PointNotOnCurve"/>).</summary>
        public const int PointNotOnCurve = PaceError.PointNotOnCurve;

        /// <summary>The card returned our own ephemeral public key.</summary>
        public const int SamePublicKeys = PaceError.SamePublicKeys;

        /// <summary>A computed point is the point at infinity.</summary>
        public const int PointAtInfinity = PaceError.PointAtInfinity;

        /// <summary>The card's token T_IC is wrong: the card does not know the password or the exchange was altered.</summary>
        public const int TokenMismatch = PaceError.TokenMismatch;

        /// <summary>The encrypted nonce is not a whole number of AES blocks.</summary>
        public const int BadLength = PaceError.BadLength;
    }
}
