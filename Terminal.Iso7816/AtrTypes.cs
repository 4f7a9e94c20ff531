namespace Terminal.Iso7816
{
    /// <summary>Result of <see cref="Atr.Parse"/>: the first structural error, else the first RFU value met, else None.</summary>
    public enum AtrError
    {
        /// <summary>A well-formed ATR with no RFU value.</summary>
        None = 0,

        /// <summary>No byte at all.</summary>
        Empty = 1,

        /// <summary>TS is neither 3B (direct) nor 3F (inverse).</summary>
        BadTs = 2,

        /// <summary>More than 33 bytes (ISO/IEC 7816-3 §8.2.1).</summary>
        TooLong = 3,

        /// <summary>The buffer ends inside T0 or the interface bytes that T0 and the TD bytes announce.</summary>
        TruncatedInterfaceBytes = 4,

        /// <summary>The buffer ends inside the K historical bytes announced by T0.</summary>
        TruncatedHistoricalBytes = 5,

        /// <summary>A protocol other than T=0 is indicated but TCK is missing.</summary>
        MissingTck = 6,

        /// <summary>TCK is present but the exclusive-or of T0 to TCK is not zero.</summary>
        BadTck = 7,

        /// <summary>Bytes follow the last byte the structure announces (other than a lone correct TCK, see <see cref="UnexpectedTck"/>).</summary>
        ExtraBytes = 8,

        /// <summary>
        /// Only T=0 is indicated (so TCK is absent, ISO/IEC 7816-3 §8.2.5), yet one more byte follows that
        /// checks as a TCK would. The ATR ends before it (<see cref="Atr.StrayTck"/> holds it); decoded; usable.
        /// </summary>
        UnexpectedTck = 9,

        /// <summary>TA1's high nibble is an RFU Fi index (7, 8, E, F).</summary>
        RfuFi = 20,

        /// <summary>TA1's low nibble is an RFU Di index (0, A to F).</summary>
        RfuDi = 21,

        /// <summary>TA2 has RFU bits 6 and 7 set.</summary>
        RfuTa2 = 22,

        /// <summary>TC2 = 0 (WI must be 1 to 255).</summary>
        RfuWi = 23,

        /// <summary>The first TA for T=1 is 00 or FF (IFSC must be 1 to 254).</summary>
        RfuIfsc = 24,

        /// <summary>The first TB for T=1 has BWI above 9.</summary>
        RfuBwi = 25,

        /// <summary>The first TC for T=1 has RFU bits 2 to 8 set.</summary>
        RfuEdc = 26,

        /// <summary>The first TA for T=15 indicates no class at all.</summary>
        RfuClassIndicator = 27,

        /// <summary>TD1 indicates T=15 (forbidden: T=15 is never the first protocol).</summary>
        RfuProtocol = 28,
    }

    /// <summary>Clock stop indicator X of the first TA for T=15 (ISO/IEC 7816-3 §8.3, Table 11).</summary>
    public enum ClockStop
    {
        /// <summary>No TA for T=15 in the ATR.</summary>
        NotIndicated = 0,

        /// <summary>X = 00: clock stop not supported.</summary>
        NotSupported = 1,

        /// <summary>X = 01: state L.</summary>
        StateL = 2,

        /// <summary>X = 10: state H.</summary>
        StateH = 3,

        /// <summary>X = 11: no preference.</summary>
        NoPreference = 4,
    }

    /// <summary>Whether the ATR carries TCK and whether it checks.</summary>
    public enum TckStatus
    {
        /// <summary>No TCK byte.</summary>
        Absent = 0,

        /// <summary>TCK present and the exclusive-or of T0 to TCK is zero.</summary>
        Correct = 1,

        /// <summary>TCK present and wrong.</summary>
        Wrong = 2,
    }
}
