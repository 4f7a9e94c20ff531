namespace Terminal.PinPad
{
    /// <summary>
    /// What the reader says about itself through the pseudo-APDUs (TR-03119 GetReaderInfo, PC/SC part
    /// 10 IFD_PIN_PROPERTIES and GET_TLV_PROPERTIES). The CCID layer fills it from its descriptor so
    /// both agree.
    /// </summary>
    public sealed class ReaderProperties
    {
        /// <summary>Defaults for the reference reader: 2x16 display, PINs of 4 to 16 digits, every validation condition.</summary>
        public ReaderProperties()
        {
            Vendor = "Terminal";
            Product = "Terminal PIN pad reader";
            FirmwareVersion = "0.1.0";
            FirmwareId = "Terminal 0.1.0";
            LcdColumns = 16;
            LcdRows = 2;
            MinPinSize = 4;
            MaxPinSize = PinBuffer.DefaultCapacity;
            EntryValidation = 0x07;
            VendorId = 0x1209;
            ProductId = 0x0001;
            PpduSupport = 0x02;
        }

        /// <summary>Manufacturer name (GetReaderInfo P2 01h).</summary>
        public string Vendor { get; set; }

        /// <summary>Product name (GetReaderInfo P2 03h).</summary>
        public string Product { get; set; }

        /// <summary>Firmware version (GetReaderInfo P2 06h).</summary>
        public string FirmwareVersion { get; set; }

        /// <summary>Driver version (GetReaderInfo P2 07h), null when the reader has none to tell (answered 6A88).</summary>
        public string? DriverVersion { get; set; }

        /// <summary>sFirmwareID of GET_TLV_PROPERTIES.</summary>
        public string FirmwareId { get; set; }

        /// <summary>Display characters a line (0: no display).</summary>
        public int LcdColumns { get; set; }

        /// <summary>Display lines (0: no display).</summary>
        public int LcdRows { get; set; }

        /// <summary>bMinPINSize.</summary>
        public int MinPinSize { get; set; }

        /// <summary>bMaxPINSize.</summary>
        public int MaxPinSize { get; set; }

        /// <summary>bEntryValidationCondition the reader supports: 01h max size, 02h OK key, 04h timeout.</summary>
        public int EntryValidation { get; set; }

        /// <summary>wIdVendor (the USB vendor id the CCID layer announces).</summary>
        public int VendorId { get; set; }

        /// <summary>wIdProduct.</summary>
        public int ProductId { get; set; }

        /// <summary>dwMaxAPDUDataSize: 0 for short APDUs only, as libccid reports for an APDU-level reader.</summary>
        public int MaxApduDataSize { get; set; }

        /// <summary>bPPDUSupport: bit 0 PPDU over SCardControl/FEATURE_CCID_ESC_COMMAND, bit 1 over SCardTransmit.</summary>
        public int PpduSupport { get; set; }

        /// <summary>True when the reader runs PACE for the host (FEATURE_EXECUTE_PACE listed in <c>FF C2 01 00</c>).</summary>
        public bool ExecutePace { get; set; }

        /// <summary>wLcdLayout: lines in the high byte, characters in the low byte (CCID class descriptor).</summary>
        public int LcdLayout
        {
            get { return LcdRows == 0 || LcdColumns == 0 ? 0 : ((LcdRows & 0xFF) << 8) | (LcdColumns & 0xFF); }
        }
    }
}
