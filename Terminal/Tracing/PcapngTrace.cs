namespace Terminal.Tracing
{
    /// <summary>
    /// Writes what crosses both links as one pcapng file that Wireshark decodes with no user setting:
    /// interface 0 is the host link shown as USB (LINKTYPE_USB_LINUX_MMAPPED, 220) so the CCID
    /// dissector runs; interfaces 1..n are the card slots as exported PDUs (LINKTYPE_WIRESHARK_UPPER_PDU,
    /// 252) for Wireshark's "iso7816" dissector, with PPS, T=0 procedure bytes and raw T=1 blocks as
    /// labelled "data" records. Timestamps are microseconds of one monotonic clock, given by the caller;
    /// records must come in time order (one writer, under its lock).
    /// </summary>
    /// <remarks>
    /// A PIN never reaches the file: the command data of VERIFY, CHANGE REFERENCE DATA and RESET RETRY
    /// COUNTER is replaced by <see cref="PinMask.Marker"/> bytes in every APDU-carrying record (CCID
    /// XfrBlock and Secure, T=0 TPDUs, T=1 I-blocks, APDUs), and the record's info text says so.
    /// Nothing is allocated per record: the blocks are built in buffers owned by the writer.
    /// </remarks>
    public sealed class PcapngTrace
    {
        /// <summary>Direction of an ISO 7816 record, as Wireshark's exported PDU direction tag.</summary>
        public const int ReaderToCard = 0;

        /// <summary>Card to reader.</summary>
        public const int CardToReader = 1;

        private const int LinkTypeUsbMmapped = 220;
        private const int LinkTypeUpperPdu = 252;
        private const int UsbHeaderLength = 64;
        private const int MaxRecord = 65600;
        private const byte UsbBus = 1;
        private const byte UsbDevice = 5;

        private readonly ITraceSink _sink;
        private readonly object _gate = new object();
        private readonly byte[] _block = new byte[MaxRecord + 256];
        private readonly int _slotCount;
        private long _urbId = 0x10000;

        /// <summary>
        /// Starts a trace: section header, one interface for the host link and one a slot, then the
        /// synthesized GET_DESCRIPTOR(CONFIGURATION) exchange carrying <paramref name="configurationDescriptor"/>
        /// (the reader's real USB configuration with its CCID class descriptor).
        /// </summary>
        public PcapngTrace(ITraceSink sink, int slotCount, byte[] configurationDescriptor, string application, long startMicroseconds)
        {
            _sink = sink;
            _slotCount = slotCount;
            WriteSectionHeader(application);
            WriteInterface(LinkTypeUsbMmapped, "host", "serial host link, shown as USB so that Wireshark decodes CCID");
            for (int slot = 0; slot < slotCount; slot++)
            {
                WriteInterface(LinkTypeUpperPdu, "iso7816-slot" + slot, "ISO/IEC 7816 card contacts of slot " + slot);
            }
            WriteConfigurationExchange(configurationDescriptor, startMicroseconds);
            _sink.Flush();
        }

        /// <summary>Number of slot interfaces.</summary>
        public int SlotCount => _slotCount;

        /// <summary>A CCID message from the host (PC_to_RDR), as a bulk OUT transfer.</summary>
        public void HostToReader(long microseconds, byte[] message, int offset, int length)
        {
            UsbRecord(microseconds, (byte)'S', 3, 0x02, message, offset, length, true);
        }

        /// <summary>A CCID message to the host (RDR_to_PC, bulk IN; NotifySlotChange, interrupt IN).</summary>
        public void ReaderToHost(long microseconds, byte[] message, int offset, int length)
        {
            bool interrupt = length > 0 && message[offset] == 0x50;
            UsbRecord(microseconds, (byte)'C', interrupt ? (byte)1 : (byte)3, interrupt ? (byte)0x83 : (byte)0x82, message, offset, length, false);
        }

        /// <summary>The card's Answer-to-Reset.</summary>
        public void Atr(long microseconds, int slot, byte[] atr, int offset, int length)
        {
            SlotRecord(microseconds, slot, CardToReader, "iso7816", null, null, atr, offset, length, MaskNone);
        }

        /// <summary>A command TPDU or APDU to the card (header and data), for the iso7816 dissector.</summary>
        public void Command(long microseconds, int slot, byte[] command, int offset, int length)
        {
            SlotRecord(microseconds, slot, ReaderToCard, "iso7816", null, null, command, offset, length, MaskApdu);
        }

        /// <summary>
        /// The command the PIN pad sends to the card with the typed PIN in it (T=0 TPDU or APDU): recorded
        /// like <see cref="Command"/> with all its command data masked, whatever its INS.
        /// </summary>
        public void PinCommand(long microseconds, int slot, byte[] command, int offset, int length)
        {
            SlotRecord(microseconds, slot, ReaderToCard, "iso7816", null, null, command, offset, length, MaskPinApdu);
        }

        /// <summary>A T=1 block of the PIN pad's command (reader to card): its I-block's command data masked.</summary>
        public void PinT1Block(long microseconds, int slot, byte[] block, int offset, int length)
        {
            SlotRecord(microseconds, slot, ReaderToCard, "data", "ISO 7816-3 T=1", "T=1 block to card", block, offset, length, MaskPinT1);
        }

        /// <summary>A response from the card (data and SW1 SW2).</summary>
        public void Response(long microseconds, int slot, byte[] response, int offset, int length)
        {
            SlotRecord(microseconds, slot, CardToReader, "iso7816", null, null, response, offset, length, MaskNone);
        }

        /// <summary>A PPS request or response (decoded by the project's Lua dissector, shown as data otherwise).</summary>
        public void Pps(long microseconds, int slot, int direction, byte[] pps, int offset, int length)
        {
            SlotRecord(microseconds, slot, direction, "data", "ISO 7816-3 PPS", direction == ReaderToCard ? "PPS request" : "PPS response", pps, offset, length, MaskNone);
        }

        /// <summary>A raw T=1 block (decoded by the project's Lua dissector, shown as data otherwise).</summary>
        public void T1Block(long microseconds, int slot, int direction, byte[] block, int offset, int length)
        {
            SlotRecord(microseconds, slot, direction, "data", "ISO 7816-3 T=1", direction == ReaderToCard ? "T=1 block to card" : "T=1 block from card", block, offset, length,
                direction == ReaderToCard ? MaskT1 : MaskNone);
        }

        /// <summary>T=0 procedure bytes (ACK, NULL, SW1) as the card sent them.</summary>
        public void T0Procedure(long microseconds, int slot, byte[] bytes, int offset, int length)
        {
            SlotRecord(microseconds, slot, CardToReader, "data", "ISO 7816-3 T=0", "procedure bytes", bytes, offset, length, MaskNone);
        }

        private const int MaskNone = 0;
        private const int MaskApdu = 1;
        private const int MaskT1 = 2;
        private const int MaskCcid = 3;
        private const int MaskPinApdu = 4;
        private const int MaskPinT1 = 5;

        private void UsbRecord(long microseconds, byte urbType, byte transfer, byte endpoint, byte[] data, int offset, int length, bool fromHost)
        {
            lock (_gate)
            {
                if (length > MaxRecord)
                {
                    length = MaxRecord;
                }
                int start = BeginPacket(0, microseconds, UsbHeaderLength + length);
                UsbHeader(start, urbType, transfer, endpoint, (byte)'-', microseconds, length);
                int dataAt = start + UsbHeaderLength;
                System.Array.Copy(data, offset, _block, dataAt, length);
                bool masked = fromHost && Mask(MaskCcid, dataAt, length) > 0;
                EndPacket(start, UsbHeaderLength + length, fromHost ? 2 : 1, masked ? "PIN masked" : null);
            }
        }

        private void SlotRecord(long microseconds, int slot, int direction, string dissector, string? protocol, string? info,
            byte[] data, int offset, int length, int mask)
        {
            if (slot < 0 || slot >= _slotCount)
            {
                return;
            }
            lock (_gate)
            {
                if (length > MaxRecord)
                {
                    length = MaxRecord;
                }
                int tagsLength = TagLength(dissector) + 8 + (protocol == null ? 0 : TagLength(protocol)) + (info == null ? 0 : TagLength(info)) + 4;
                int start = BeginPacket(1 + slot, microseconds, tagsLength + length);
                int at = start;
                at = PutTag(at, 12, dissector);
                at = PutU16Be(at, 35);
                at = PutU16Be(at, 4);
                at = PutU32Be(at, direction);
                if (protocol != null)
                {
                    at = PutTag(at, 33, protocol);
                }
                if (info != null)
                {
                    at = PutTag(at, 36, info);
                }
                at = PutU32Be(at, 0); // end of tags
                System.Array.Copy(data, offset, _block, at, length);
                bool masked = Mask(mask, at, length) > 0;
                EndPacket(start, tagsLength + length, direction == ReaderToCard ? 2 : 1, masked ? "PIN masked" : null);
            }
        }

        /// <summary>Masks PIN data in place in the block buffer; returns the bytes masked.</summary>
        private int Mask(int kind, int at, int length)
        {
            switch (kind)
            {
                case MaskApdu:
                    return PinMask.MaskCommandApdu(_block, at, length);
                case MaskPinApdu:
                    return PinMask.MaskCommandData(_block, at, length);
                case MaskT1:
                case MaskPinT1:
                    // I-block (PCB bit 8 = 0): NAD PCB LEN, the information field, then the EDC.
                    if (length > 4 && (_block[at + 1] & 0x80) == 0)
                    {
                        int information = _block[at + 2];
                        int inf = information <= length - 3 ? information : length - 3;
                        return kind == MaskPinT1 ? PinMask.MaskCommandData(_block, at + 3, inf) : PinMask.MaskCommandApdu(_block, at + 3, inf);
                    }
                    return 0;
                case MaskCcid:
                    return PinMask.MaskCcidMessage(_block, at, length);
                default:
                    return 0;
            }
        }

        private static int TagLength(string value) => 4 + value.Length;

        private int PutTag(int at, int tag, string value)
        {
            at = PutU16Be(at, tag);
            at = PutU16Be(at, value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                _block[at++] = (byte)value[i];
            }
            return at;
        }

        private void UsbHeader(int at, byte urbType, byte transfer, byte endpoint, byte setupFlag, long microseconds, int length)
        {
            for (int i = 0; i < UsbHeaderLength; i++)
            {
                _block[at + i] = 0;
            }
            PutU64Le(at, _urbId++);
            _block[at + 8] = urbType;
            _block[at + 9] = transfer;
            _block[at + 10] = endpoint;
            _block[at + 11] = UsbDevice;
            _block[at + 12] = UsbBus;
            _block[at + 14] = setupFlag;
            _block[at + 15] = 0; // data present
            PutU64Le(at + 16, microseconds / 1000000);
            PutU32Le(at + 24, (int)(microseconds % 1000000));
            PutU32Le(at + 32, length);
            PutU32Le(at + 36, length);
        }

        private void WriteConfigurationExchange(byte[] configuration, long microseconds)
        {
            lock (_gate)
            {
                // GET_DESCRIPTOR(CONFIGURATION) on the default pipe: setup packet, then the descriptor.
                int start = BeginPacket(0, microseconds, UsbHeaderLength);
                UsbHeader(start, (byte)'S', 2, 0x80, 0, microseconds, configuration.Length);
                _block[start + 36] = 0; // nothing captured: only the setup packet
                _block[start + 37] = 0;
                _block[start + 38] = 0;
                _block[start + 39] = 0;
                _block[start + 15] = (byte)'<'; // no data: an IN request
                _block[start + 40] = 0x80; // bmRequestType: device to host, standard, device
                _block[start + 41] = 0x06; // GET_DESCRIPTOR
                _block[start + 42] = 0x00; // index 0
                _block[start + 43] = 0x02; // CONFIGURATION
                _block[start + 46] = (byte)(configuration.Length & 0xFF);
                _block[start + 47] = (byte)(configuration.Length >> 8);
                EndPacket(start, UsbHeaderLength, 2, null);

                start = BeginPacket(0, microseconds, UsbHeaderLength + configuration.Length);
                _urbId--; // the completion of the same URB: Wireshark pairs request and response by URB id
                UsbHeader(start, (byte)'C', 2, 0x80, (byte)'-', microseconds, configuration.Length);
                System.Array.Copy(configuration, 0, _block, start + UsbHeaderLength, configuration.Length);
                EndPacket(start, UsbHeaderLength + configuration.Length, 1, null);
            }
        }

        private void WriteSectionHeader(string application)
        {
            PutU32Le(0, 0x0A0D0D0A);
            PutU32Le(8, 0x1A2B3C4D);
            PutU16Le(12, 1);
            PutU16Le(14, 0);
            PutU32Le(16, -1);
            PutU32Le(20, -1);
            int at = PutOption(24, 4, application); // shb_userappl
            at = PutU32Le(at, 0);
            Close(at);
        }

        private void WriteInterface(int linkType, string name, string description)
        {
            PutU32Le(0, 1);
            PutU16Le(8, linkType);
            PutU16Le(10, 0);
            PutU32Le(12, 0); // no snap length limit
            int at = PutOption(16, 2, name); // if_name
            at = PutOption(at, 3, description); // if_description
            at = PutU16Le(at, 9); // if_tsresol: microseconds
            at = PutU16Le(at, 1);
            _block[at] = 6;
            _block[at + 1] = 0;
            _block[at + 2] = 0;
            _block[at + 3] = 0;
            at += 4;
            at = PutU32Le(at, 0);
            Close(at);
        }

        /// <summary>Starts an enhanced packet block; returns where its packet data goes.</summary>
        private int BeginPacket(int interfaceId, long microseconds, int capturedLength)
        {
            PutU32Le(0, 6);
            PutU32Le(8, interfaceId);
            PutU32Le(12, (int)(microseconds >> 32));
            PutU32Le(16, (int)(microseconds & 0xFFFFFFFF));
            PutU32Le(20, capturedLength);
            PutU32Le(24, capturedLength);
            return 28;
        }

        private void EndPacket(int dataStart, int dataLength, int direction, string? comment)
        {
            int at = dataStart + dataLength;
            while ((at & 3) != 0)
            {
                _block[at++] = 0;
            }
            at = PutU16Le(at, 2); // epb_flags: direction 1 inbound, 2 outbound
            at = PutU16Le(at, 4);
            at = PutU32Le(at, direction);
            if (comment != null)
            {
                at = PutOption(at, 1, comment); // opt_comment
            }
            at = PutU32Le(at, 0);
            Close(at);
        }

        private void Close(int at)
        {
            int total = at + 4;
            PutU32Le(4, total);
            PutU32Le(at, total);
            _sink.Write(_block, 0, total);
            _sink.Flush();
        }

        private int PutOption(int at, int code, string value)
        {
            at = PutU16Le(at, code);
            at = PutU16Le(at, value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                _block[at++] = c < 0x80 ? (byte)c : (byte)'?';
            }
            while ((at & 3) != 0)
            {
                _block[at++] = 0;
            }
            return at;
        }

        private int PutU16Le(int at, int value)
        {
            _block[at] = (byte)value;
            _block[at + 1] = (byte)(value >> 8);
            return at + 2;
        }

        private int PutU32Le(int at, int value)
        {
            _block[at] = (byte)value;
            _block[at + 1] = (byte)(value >> 8);
            _block[at + 2] = (byte)(value >> 16);
            _block[at + 3] = (byte)(value >> 24);
            return at + 4;
        }

        private void PutU64Le(int at, long value)
        {
            PutU32Le(at, (int)(value & 0xFFFFFFFF));
            PutU32Le(at + 4, (int)(value >> 32));
        }

        private int PutU16Be(int at, int value)
        {
            _block[at] = (byte)(value >> 8);
            _block[at + 1] = (byte)value;
            return at + 2;
        }

        private int PutU32Be(int at, int value)
        {
            _block[at] = (byte)(value >> 24);
            _block[at + 1] = (byte)(value >> 16);
            _block[at + 2] = (byte)(value >> 8);
            _block[at + 3] = (byte)value;
            return at + 4;
        }
    }
}
