namespace Terminal.Ccid
{
    /// <summary>bMessageType values (USB CCID rev 1.1, §6.1 commands, §6.2 responses, §6.3 interrupts).</summary>
    public static class CcidMessage
    {
        /// <summary>§6.1.1 PC_to_RDR_IccPowerOn.</summary>
        public const byte IccPowerOn = 0x62;
        /// <summary>§6.1.2 PC_to_RDR_IccPowerOff.</summary>
        public const byte IccPowerOff = 0x63;
        /// <summary>§6.1.3 PC_to_RDR_GetSlotStatus.</summary>
        public const byte GetSlotStatus = 0x65;
        /// <summary>§6.1.4 PC_to_RDR_XfrBlock.</summary>
        public const byte XfrBlock = 0x6F;
        /// <summary>§6.1.5 PC_to_RDR_GetParameters.</summary>
        public const byte GetParameters = 0x6C;
        /// <summary>§6.1.6 PC_to_RDR_ResetParameters.</summary>
        public const byte ResetParameters = 0x6D;
        /// <summary>§6.1.7 PC_to_RDR_SetParameters.</summary>
        public const byte SetParameters = 0x61;
        /// <summary>§6.1.8 PC_to_RDR_Escape.</summary>
        public const byte Escape = 0x6B;
        /// <summary>§6.1.9 PC_to_RDR_IccClock.</summary>
        public const byte IccClock = 0x6E;
        /// <summary>§6.1.10 PC_to_RDR_T0APDU.</summary>
        public const byte T0Apdu = 0x6A;
        /// <summary>§6.1.11 PC_to_RDR_Secure.</summary>
        public const byte Secure = 0x69;
        /// <summary>§6.1.12 PC_to_RDR_Mechanical.</summary>
        public const byte Mechanical = 0x71;
        /// <summary>§6.1.13 PC_to_RDR_Abort.</summary>
        public const byte Abort = 0x72;
        /// <summary>§6.1.14 PC_to_RDR_SetDataRateAndClockFrequency.</summary>
        public const byte SetDataRateAndClockFrequency = 0x73;

        /// <summary>§6.2.1 RDR_to_PC_DataBlock.</summary>
        public const byte DataBlock = 0x80;
        /// <summary>§6.2.2 RDR_to_PC_SlotStatus.</summary>
        public const byte SlotStatus = 0x81;
        /// <summary>§6.2.3 RDR_to_PC_Parameters.</summary>
        public const byte Parameters = 0x82;
        /// <summary>§6.2.4 RDR_to_PC_Escape.</summary>
        public const byte EscapeResponse = 0x83;
        /// <summary>§6.2.5 RDR_to_PC_DataRateAndClockFrequency.</summary>
        public const byte DataRateAndClockFrequency = 0x84;

        /// <summary>§6.3.1 RDR_to_PC_NotifySlotChange (interrupt pipe; on serial `50 02` / `50 03`).</summary>
        public const byte NotifySlotChange = 0x50;
        /// <summary>§6.3.2 RDR_to_PC_HardwareError.</summary>
        public const byte HardwareError = 0x51;

        /// <summary>Size of every message header (§6.1: bMessageType, dwLength, bSlot, bSeq and three message-specific bytes).</summary>
        public const int HeaderLength = 10;

        /// <summary>dwMaxCCIDMessageLength of every profile: header plus 261 bytes (a short APDU and its Le, or a T=1 block of IFSD 254 with prologue and EDC).</summary>
        public const int MaxMessageLength = 271;

        /// <summary>The largest dwLength a message may carry.</summary>
        public const int MaxDataLength = MaxMessageLength - HeaderLength;
    }

    /// <summary>bStatus of RDR_to_PC messages (§6.2.6 Table 6.2-3).</summary>
    public static class CcidStatus
    {
        /// <summary>bmICCStatus 0: an ICC is present and active.</summary>
        public const byte IccActive = 0x00;
        /// <summary>bmICCStatus 1: an ICC is present and inactive.</summary>
        public const byte IccInactive = 0x01;
        /// <summary>bmICCStatus 2: no ICC is present.</summary>
        public const byte IccAbsent = 0x02;
        /// <summary>bmCommandStatus 1: the command failed, bError says why.</summary>
        public const byte Failed = 0x40;
        /// <summary>bmCommandStatus 2: time extension requested, bError holds the BWT multiplier.</summary>
        public const byte TimeExtension = 0x80;
    }

    /// <summary>
    /// bError of RDR_to_PC messages (§6.2.6 Table 6.2-2). Values 1 to 127 name the offset of the
    /// message field whose value is not supported; 0 means the command is not supported.
    /// </summary>
    public static class CcidError
    {
        /// <summary>No error (bmCommandStatus 0).</summary>
        public const int None = -1;
        /// <summary>Command not supported.</summary>
        public const byte CommandNotSupported = 0x00;
        /// <summary>Offset of dwLength, for a message whose data length is wrong.</summary>
        public const byte BadLength = 1;
        /// <summary>Offset of bSlot, for a slot that does not exist.</summary>
        public const byte BadSlot = 5;
        /// <summary>Offset of the first message-specific byte (bPowerSelect, bBWI, bProtocolNum, bClockCommand, bmChanges, bFunction).</summary>
        public const byte BadParameter7 = 7;
        /// <summary>Offset of the second message-specific byte.</summary>
        public const byte BadParameter8 = 8;
        /// <summary>Offset of the first data byte (the first field of abProtocolDataStructure, for example).</summary>
        public const byte BadData = 10;
        /// <summary>CMD_ABORTED.</summary>
        public const byte CommandAborted = 0xFF;
        /// <summary>ICC_MUTE: no ICC, or it does not answer.</summary>
        public const byte IccMute = 0xFE;
        /// <summary>XFR_PARITY_ERROR.</summary>
        public const byte XfrParityError = 0xFD;
        /// <summary>XFR_OVERRUN.</summary>
        public const byte XfrOverrun = 0xFC;
        /// <summary>HW_ERROR (for example an over-current on the contacts).</summary>
        public const byte HardwareError = 0xFB;
        /// <summary>BAD_ATR_TS.</summary>
        public const byte BadAtrTs = 0xF8;
        /// <summary>BAD_ATR_TCK.</summary>
        public const byte BadAtrTck = 0xF7;
        /// <summary>ICC_PROTOCOL_NOT_SUPPORTED.</summary>
        public const byte IccProtocolNotSupported = 0xF6;
        /// <summary>ICC_CLASS_NOT_SUPPORTED.</summary>
        public const byte IccClassNotSupported = 0xF5;
        /// <summary>PROCEDURE_BYTE_CONFLICT.</summary>
        public const byte ProcedureByteConflict = 0xF4;
        /// <summary>DEACTIVATED_PROTOCOL.</summary>
        public const byte DeactivatedProtocol = 0xF3;
        /// <summary>BUSY_WITH_AUTO_SEQUENCE.</summary>
        public const byte BusyWithAutoSequence = 0xF2;
        /// <summary>PIN_TIMEOUT (libccid maps it to SW 6400).</summary>
        public const byte PinTimeout = 0xF0;
        /// <summary>PIN_CANCELLED (libccid maps it to SW 6401).</summary>
        public const byte PinCancelled = 0xEF;
        /// <summary>CMD_SLOT_BUSY.</summary>
        public const byte CommandSlotBusy = 0xE0;
    }
}
