namespace Terminal.Iso7816
{
    /// <summary>
    /// The T=1 block codec (ISO/IEC 7816-3 §11.3, §11.4.4): prologue NAD PCB LEN, information field,
    /// epilogue LRC (1 byte) or CRC (2 bytes). Static and stateless; never throws on bad input.
    /// </summary>
    /// <remarks>
    /// The CRC is the one the host's T=1 stack (libccid's openct code) and the cards it serves use:
    /// polynomial x^16 + x^12 + x^5 + 1 processed least significant bit first (0x8408), initial value
    /// FFFF, no final inversion, sent most significant byte first (00 C1 01 FE → 54 4E).
    /// </remarks>
    public static class T1Block
    {
        /// <summary>Size of the prologue field.</summary>
        public const int PrologueLength = 3;

        /// <summary>Largest information field (IFS 254; 255 is RFU).</summary>
        public const int MaxInformationLength = 254;

        /// <summary>Largest block: prologue, 254 bytes, CRC.</summary>
        public const int MaxBlockLength = PrologueLength + MaxInformationLength + 2;

        /// <summary>I-block PCB bit: more data follow (chaining).</summary>
        public const int MoreBit = 0x20;

        /// <summary>S-block PCB bit: response (else request).</summary>
        public const int ResponseBit = 0x20;

        /// <summary>R-block error code: no error (acknowledgement).</summary>
        public const int ErrorNone = 0;

        /// <summary>R-block error code: EDC or parity error.</summary>
        public const int ErrorEdc = 1;

        /// <summary>R-block error code: other error.</summary>
        public const int ErrorOther = 2;

        /// <summary>S-block type RESYNCH.</summary>
        public const int Resynch = 0;

        /// <summary>S-block type IFS.</summary>
        public const int Ifs = 1;

        /// <summary>S-block type ABORT.</summary>
        public const int Abort = 2;

        /// <summary>S-block type WTX.</summary>
        public const int Wtx = 3;

        /// <summary>PCB of an I-block with send sequence number <paramref name="ns"/> (0 or 1).</summary>
        public static byte IPcb(int ns, bool more)
        {
            return (byte)(((ns & 1) << 6) | (more ? MoreBit : 0));
        }

        /// <summary>PCB of an R-block with receive sequence number <paramref name="nr"/> and an error code.</summary>
        public static byte RPcb(int nr, int error)
        {
            return (byte)(0x80 | ((nr & 1) << 4) | (error & 0x03));
        }

        /// <summary>PCB of an S-block of <paramref name="type"/> (Resynch, Ifs, Abort, Wtx).</summary>
        public static byte SPcb(int type, bool response)
        {
            return (byte)(0xC0 | (response ? ResponseBit : 0) | (type & 0x1F));
        }

        /// <summary>True for an I-block PCB (bit 8 = 0).</summary>
        public static bool IsIBlock(int pcb)
        {
            return (pcb & 0x80) == 0;
        }

        /// <summary>True for an R-block PCB (bits 8-7 = 10).</summary>
        public static bool IsRBlock(int pcb)
        {
            return (pcb & 0xC0) == 0x80;
        }

        /// <summary>True for an S-block PCB (bits 8-7 = 11).</summary>
        public static bool IsSBlock(int pcb)
        {
            return (pcb & 0xC0) == 0xC0;
        }

        /// <summary>N(S) of an I-block.</summary>
        public static int SendSequence(int pcb)
        {
            return (pcb >> 6) & 1;
        }

        /// <summary>M bit of an I-block.</summary>
        public static bool HasMore(int pcb)
        {
            return (pcb & MoreBit) != 0;
        }

        /// <summary>N(R) of an R-block.</summary>
        public static int ReceiveSequence(int pcb)
        {
            return (pcb >> 4) & 1;
        }

        /// <summary>Error code of an R-block (0, 1 EDC/parity, 2 other).</summary>
        public static int RError(int pcb)
        {
            return pcb & 0x0F;
        }

        /// <summary>Type of an S-block (Resynch, Ifs, Abort, Wtx).</summary>
        public static int SType(int pcb)
        {
            return pcb & 0x1F;
        }

        /// <summary>True for an S(... response).</summary>
        public static bool IsResponse(int pcb)
        {
            return (pcb & ResponseBit) != 0;
        }

        /// <summary>EDC length: 2 for CRC, 1 for LRC.</summary>
        public static int EdcLength(bool crc)
        {
            return crc ? 2 : 1;
        }

        /// <summary>Exclusive-or of the bytes.</summary>
        public static byte Lrc(byte[] buffer, int offset, int length)
        {
            int x = 0;
            for (int i = 0; i < length; i++)
            {
                x ^= buffer[offset + i];
            }
            return (byte)x;
        }

        // One entry per byte value: the 8 shift steps of the reflected polynomial, done once.
        private static readonly ushort[] CrcTable = BuildCrcTable();

        private static ushort[] BuildCrcTable()
        {
            ushort[] table = new ushort[256];
            for (int v = 0; v < 256; v++)
            {
                int crc = v;
                for (int b = 0; b < 8; b++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x8408 : crc >> 1;
                }
                table[v] = (ushort)crc;
            }
            return table;
        }

        /// <summary>CRC of the bytes (see the class remarks); the first byte sent is bits 15-8.</summary>
        public static int Crc(byte[] buffer, int offset, int length)
        {
            int crc = 0xFFFF;
            for (int i = 0; i < length; i++)
            {
                crc = (crc >> 8) ^ CrcTable[(crc ^ buffer[offset + i]) & 0xFF];
            }
            return crc;
        }

        /// <summary>
        /// Writes NAD, PCB, LEN, the information field and the EDC at <paramref name="blockOffset"/>.
        /// Returns the block length, or <see cref="TransmissionError.BadCommand"/> when the information
        /// field is longer than 254 bytes or does not fit.
        /// </summary>
        public static int Encode(byte nad, byte pcb, byte[]? information, int informationOffset, int informationLength, bool crc, byte[] block, int blockOffset)
        {
            if (informationLength < 0 || informationLength > MaxInformationLength || (informationLength > 0 && (information == null || informationOffset < 0 || informationOffset > information.Length - informationLength)))
            {
                return TransmissionError.BadCommand;
            }
            int length = PrologueLength + informationLength + EdcLength(crc);
            if (block == null || blockOffset < 0 || blockOffset > block.Length - length)
            {
                return TransmissionError.BadCommand;
            }
            block[blockOffset] = nad;
            block[blockOffset + 1] = pcb;
            block[blockOffset + 2] = (byte)informationLength;
            if (informationLength > 0)
            {
                System.Array.Copy(information!, informationOffset, block, blockOffset + PrologueLength, informationLength);
            }
            AppendEdc(block, blockOffset, PrologueLength + informationLength, crc);
            return length;
        }

        /// <summary>Writes the EDC of the <paramref name="length"/> bytes at <paramref name="offset"/> right after them; returns its length.</summary>
        public static int AppendEdc(byte[] block, int offset, int length, bool crc)
        {
            if (crc)
            {
                int c = Crc(block, offset, length);
                block[offset + length] = (byte)(c >> 8);
                block[offset + length + 1] = (byte)c;
                return 2;
            }
            block[offset + length] = Lrc(block, offset, length);
            return 1;
        }

        /// <summary>True when the block's last 1 or 2 bytes are the EDC of the others and LEN matches the length.</summary>
        public static bool IsValid(byte[] block, int offset, int length, bool crc)
        {
            int edc = EdcLength(crc);
            if (block == null || offset < 0 || length < PrologueLength + edc || offset > block.Length - length)
            {
                return false;
            }
            int len = block[offset + 2];
            if (len > MaxInformationLength || length != PrologueLength + len + edc)
            {
                return false;
            }
            int data = length - edc;
            if (crc)
            {
                int c = Crc(block, offset, data);
                return block[offset + data] == (byte)(c >> 8) && block[offset + data + 1] == (byte)c;
            }
            return Lrc(block, offset, data) == block[offset + data];
        }
    }
}
