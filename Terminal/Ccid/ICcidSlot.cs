namespace Terminal.Ccid
{
    /// <summary>
    /// A card slot as the CCID device sees it (the Ccid layer owns this contract; Terminal.Slots
    /// implements it). Every operation returns <see cref="CcidError.None"/> on success or the CCID
    /// bError to report; none throws. Buffers belong to the caller: the slot writes its answers in
    /// place and allocates nothing.
    /// </summary>
    public interface ICcidSlot
    {
        /// <summary>bmICCStatus: <see cref="CcidStatus.IccActive"/>, <see cref="CcidStatus.IccInactive"/> or <see cref="CcidStatus.IccAbsent"/>.</summary>
        int IccStatus { get; }

        /// <summary>bClockStatus of RDR_to_PC_SlotStatus (§6.2.2): 0 running, 1 stopped low, 2 stopped high, 3 stopped in an unknown state.</summary>
        int ClockStatus { get; }

        /// <summary>
        /// Counts card insertions and removals: the CCID device compares it with the last value it
        /// reported to emit NotifySlotChange (§6.3.1) for every movement, even a quick out-and-in.
        /// </summary>
        int ChangeCount { get; }

        /// <summary>
        /// Activates the card (§6.1.1) and writes its ATR at <paramref name="atr"/>[<paramref name="offset"/>].
        /// <paramref name="voltage"/> is bPowerSelect: 0 automatic class selection, 1 5 V, 2 3 V, 3 1.8 V.
        /// </summary>
        int PowerOn(int voltage, byte[] atr, int offset, out int atrLength);

        /// <summary>Deactivates the card (§6.1.2).</summary>
        void PowerOff();

        /// <summary>
        /// Exchanges one TPDU (TPDU level, §6.1.4): a T=0 command header and data, or a whole T=1 block
        /// (or a PPS request FF ... before the parameters are set). The card's answer goes to
        /// <paramref name="response"/> at <paramref name="responseOffset"/>, at most <paramref name="responseMax"/> bytes.
        /// </summary>
        int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength);

        /// <summary>Exchanges one whole APDU (short or extended APDU level): the slot runs T=0 GET RESPONSE / T=1 chaining itself.</summary>
        int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength);

        /// <summary>Writes abProtocolDataStructure of the current protocol (§6.2.3: 5 bytes for T=0, 7 for T=1).</summary>
        int GetParameters(byte[] buffer, int offset, out int protocol, out int length);

        /// <summary>
        /// Applies abProtocolDataStructure (§6.1.7). On a value the slot cannot apply it returns
        /// the offset of that byte within the structure plus <see cref="CcidError.BadData"/> (the
        /// message offset of the field) and leaves the parameters unchanged.
        /// </summary>
        int SetParameters(int protocol, byte[] data, int offset, int length);

        /// <summary>Restores the parameters taken from the ATR (§6.1.6).</summary>
        int ResetParameters();

        /// <summary>Stops (<paramref name="stop"/> true) or restarts the card clock (§6.1.9).</summary>
        int SetClock(bool stop);

        /// <summary>Sets the card clock and data rate, or the nearest the slot supports, and reports the values in force (§6.1.14).</summary>
        int SetDataRateAndClock(int clockHz, int dataRate, out int actualClockHz, out int actualDataRate);
    }

    /// <summary>
    /// Handles PC_to_RDR_Secure (§6.1.11) and the secure PIN pseudo-APDUs that arrive in XfrBlock
    /// (FF 9A 04 10, FF C2 01 xx). The PIN pad layer implements it; without one the CCID device
    /// answers Secure with "command not supported" and relays every XfrBlock to the card.
    /// </summary>
    public interface ICcidSecureHandler
    {
        /// <summary>Runs a PC_to_RDR_Secure on <paramref name="slot"/>; the answer goes to response at responseOffset.</summary>
        int Secure(int slot, byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength);

        /// <summary>
        /// Returns true when the XfrBlock payload is a pseudo-APDU it handled itself (the answer is
        /// then in response and <paramref name="error"/> holds the CCID result); false to relay to the card.
        /// </summary>
        bool TryIntercept(int slot, byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength, out int error);
    }
}
