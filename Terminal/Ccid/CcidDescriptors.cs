namespace Terminal.Ccid
{
    /// <summary>
    /// The descriptors of the native USB variant, as bytes: device (USB 2.0 §9.6.1), configuration
    /// with one CCID interface (class 0x0B), its CCID class descriptor (CCID rev 1.1 §5.1) and the
    /// bulk-out, bulk-in and interrupt-in endpoints (§5.2 to §5.4).
    /// </summary>
    public static class CcidDescriptors
    {
        /// <summary>
        /// dwFeatures of the native variant: automatic parameters from the ATR (0x02), voltage (0x08),
        /// clock (0x10) and baud rate (0x20) selection, automatic PPS (0x80), automatic IFSD exchange
        /// (0x400), short and extended APDU level (0x40000).
        /// </summary>
        public const int NativeFeatures = 0x000404BA;

        /// <summary>bPINSupport bit 0: PIN verification (PC_to_RDR_Secure bPINOperation 00h), CCID rev 1.1 §5.1.</summary>
        public const int PinVerify = 0x01;

        /// <summary>bPINSupport bit 1: PIN modification (bPINOperation 01h), CCID rev 1.1 §5.1.</summary>
        public const int PinModify = 0x02;

        /// <summary>
        /// bPINSupport bit 4: GetReaderPACECapabilities (bPINOperation 10h). Not in CCID rev 1.1; the PACE
        /// extension of PC/SC part 10 amendment 1 and BSI TR-03119, as libccid's PACE support reads it
        /// (CCID_CLASS_PIN_PACE_CAPABILITIES).
        /// </summary>
        public const int PinPaceCapabilities = 0x10;

        /// <summary>bPINSupport bit 5: EstablishPACEChannel / DestroyPACEChannel (bPINOperation 20h), as <see cref="PinPaceCapabilities"/>.</summary>
        public const int PinPaceExecute = 0x20;

        /// <summary>Length of the CCID class descriptor.</summary>
        public const int ClassDescriptorLength = 0x36;

        /// <summary>The board facts the class descriptor reports.</summary>
        public sealed class BoardFacts
        {
            /// <summary>Number of slots (bMaxSlotIndex + 1).</summary>
            public int SlotCount = 2;

            /// <summary>bVoltageSupport bits (1 = 5 V, 2 = 3 V, 4 = 1.8 V).</summary>
            public int VoltageSupport = 3;

            /// <summary>Card clocks the board can generate, in kHz, lowest first (the first is dwDefaultClock).</summary>
            public int[] ClocksKhz = new int[] { 5000 };

            /// <summary>Data rates the card UART really runs, bps, lowest first (the first is dwDataRate).</summary>
            public int[] DataRates = new int[] { 13440 };

            /// <summary>bPINSupport: <see cref="PinVerify"/>, <see cref="PinModify"/>, and with PACE <see cref="PinPaceCapabilities"/> and <see cref="PinPaceExecute"/>.</summary>
            public int PinSupport = 3;

            /// <summary>Display lines (0 when none).</summary>
            public int LcdLines = 2;

            /// <summary>Display characters a line.</summary>
            public int LcdColumns = 16;

            /// <summary>dwFeatures.</summary>
            public int Features = NativeFeatures;

            /// <summary>
            /// The facts of a board: its slots, the classes its interface chips supply, the card clock
            /// its PWM gives and the data rates its card UART really runs at that clock.
            /// </summary>
            public static BoardFacts From(int slotCount, int voltageSupport, int clockHz, int maxDataRate)
            {
                BoardFacts facts = new BoardFacts();
                facts.SlotCount = slotCount;
                facts.VoltageSupport = voltageSupport;
                facts.ClocksKhz = new int[] { clockHz / 1000 };
                facts.DataRates = DataRates(clockHz, maxDataRate);
                return facts;
            }
        }

        /// <summary>The CCID class descriptor (§5.1, Table 5.1-1), 54 bytes.</summary>
        public static byte[] ClassDescriptor(BoardFacts facts)
        {
            byte[] d = new byte[ClassDescriptorLength];
            d[0] = ClassDescriptorLength;
            d[1] = 0x21; // CCID functional descriptor
            d[2] = 0x10; // bcdCCID 1.10
            d[3] = 0x01;
            d[4] = (byte)(facts.SlotCount - 1);
            d[5] = (byte)facts.VoltageSupport;
            CcidDevice.WriteInt(d, 6, 0x00000003); // T=0 and T=1
            CcidDevice.WriteInt(d, 10, facts.ClocksKhz[0]);
            CcidDevice.WriteInt(d, 14, facts.ClocksKhz[facts.ClocksKhz.Length - 1]);
            d[18] = (byte)facts.ClocksKhz.Length;
            CcidDevice.WriteInt(d, 19, facts.DataRates[0]);
            CcidDevice.WriteInt(d, 23, facts.DataRates[facts.DataRates.Length - 1]);
            d[27] = (byte)facts.DataRates.Length;
            CcidDevice.WriteInt(d, 28, 254); // dwMaxIFSD
            CcidDevice.WriteInt(d, 32, 0); // dwSynchProtocols
            CcidDevice.WriteInt(d, 36, 0); // dwMechanical
            CcidDevice.WriteInt(d, 40, facts.Features);
            CcidDevice.WriteInt(d, 44, CcidMessage.MaxMessageLength);
            d[48] = 0xFF; // bClassGetResponse: echo the APDU's class
            d[49] = 0xFF; // bClassEnvelope
            d[50] = (byte)facts.LcdColumns; // wLcdLayout: XX lines (high byte), YY characters (low byte)
            d[51] = (byte)facts.LcdLines;
            d[52] = (byte)facts.PinSupport;
            d[53] = 1; // bMaxCCIDBusySlots
            return d;
        }

        /// <summary>The data rates (bps) at clock <paramref name="clockHz"/> for the ISO 7816-3 Fi/Di pairs the board can run, up to <paramref name="maxDataRate"/>, lowest first, without duplicates.</summary>
        public static int[] DataRates(int clockHz, int maxDataRate)
        {
            // Fi 372 (f max 5 MHz) with Di 1..32 and Fi 512 with Di 8..32: the pairs health cards propose (TA1 11, 12, 13, 18, 94, 95, 96, 97).
            int[] fi = new int[] { 372, 372, 372, 372, 372, 372, 512, 512, 512 };
            int[] di = new int[] { 1, 2, 4, 8, 12, 16, 8, 16, 32 };
            int[] rates = new int[fi.Length];
            int count = 0;
            for (int i = 0; i < fi.Length; i++)
            {
                int rate = (int)((long)clockHz * di[i] / fi[i]);
                if (rate > maxDataRate)
                {
                    continue;
                }
                bool seen = false;
                for (int j = 0; j < count; j++)
                {
                    if (rates[j] == rate)
                    {
                        seen = true;
                    }
                }
                if (!seen)
                {
                    rates[count++] = rate;
                }
            }
            // Insertion sort: a handful of values.
            for (int i = 1; i < count; i++)
            {
                int v = rates[i];
                int j = i - 1;
                while (j >= 0 && rates[j] > v)
                {
                    rates[j + 1] = rates[j];
                    j--;
                }
                rates[j + 1] = v;
            }
            int[] result = new int[count];
            System.Array.Copy(rates, result, count);
            return result;
        }

        /// <summary>The device descriptor (USB 2.0 §9.6.1): class at interface level, EP0 64 bytes.</summary>
        public static byte[] DeviceDescriptor(int vendorId, int productId, int bcdDevice)
        {
            return new byte[]
            {
                18, 0x01, 0x00, 0x02, // bLength, DEVICE, bcdUSB 2.00
                0x00, 0x00, 0x00, 64, // class defined by the interface, bMaxPacketSize0
                (byte)vendorId, (byte)(vendorId >> 8), (byte)productId, (byte)(productId >> 8),
                (byte)bcdDevice, (byte)(bcdDevice >> 8),
                1, 2, 3, // iManufacturer, iProduct, iSerialNumber
                1, // bNumConfigurations
            };
        }

        /// <summary>
        /// The configuration descriptor set: configuration (9), CCID interface (9), class descriptor
        /// (54), bulk-out 0x01, bulk-in 0x82 (64 bytes each), interrupt-in 0x83 (8 bytes, 16 ms).
        /// </summary>
        public static byte[] ConfigurationDescriptor(BoardFacts facts)
        {
            byte[] ccid = ClassDescriptor(facts);
            int total = 9 + 9 + ccid.Length + 7 * 3;
            byte[] d = new byte[total];
            int i = 0;
            d[i++] = 9; d[i++] = 0x02; d[i++] = (byte)total; d[i++] = (byte)(total >> 8);
            d[i++] = 1; // bNumInterfaces
            d[i++] = 1; // bConfigurationValue
            d[i++] = 0; // iConfiguration
            d[i++] = 0x80; // bus powered
            d[i++] = 50; // 100 mA
            d[i++] = 9; d[i++] = 0x04; d[i++] = 0; d[i++] = 0; // interface 0, alternate 0
            d[i++] = 3; // three endpoints
            d[i++] = 0x0B; d[i++] = 0x00; d[i++] = 0x00; // Smart Card class, subclass 0, protocol 0 (bulk transfers)
            d[i++] = 0; // iInterface
            System.Array.Copy(ccid, 0, d, i, ccid.Length);
            i += ccid.Length;
            i = Endpoint(d, i, 0x01, 0x02, 64, 0);
            i = Endpoint(d, i, 0x82, 0x02, 64, 0);
            Endpoint(d, i, 0x83, 0x03, 8, 16);
            return d;
        }

        private static int Endpoint(byte[] d, int i, int address, int attributes, int maxPacket, int interval)
        {
            d[i++] = 7; d[i++] = 0x05;
            d[i++] = (byte)address; d[i++] = (byte)attributes;
            d[i++] = (byte)maxPacket; d[i++] = (byte)(maxPacket >> 8);
            d[i++] = (byte)interval;
            return i;
        }
    }
}
