namespace Terminal.Iso7816
{
    /// <summary>The four command cases of ISO/IEC 7816-3 §12.1.2 / 7816-4 §5.1.</summary>
    public enum ApduCase
    {
        /// <summary>Not parsed, or malformed.</summary>
        Invalid = 0,

        /// <summary>Header only: no data, no response data.</summary>
        Case1 = 1,

        /// <summary>Le only: response data expected.</summary>
        Case2 = 2,

        /// <summary>Lc and data: no response data.</summary>
        Case3 = 3,

        /// <summary>Lc, data and Le.</summary>
        Case4 = 4,
    }

    /// <summary>Result of <see cref="CommandApdu.Parse"/>.</summary>
    public enum ApduError
    {
        /// <summary>A well-formed command APDU.</summary>
        None = 0,

        /// <summary>Fewer than 4 bytes (no complete header), or bad buffer arguments.</summary>
        TooShort = 1,

        /// <summary>The length does not match the Lc field (short or extended) with or without an Le field.</summary>
        LengthMismatch = 2,

        /// <summary>An extended Lc field of 0000 followed by more bytes.</summary>
        ExtendedLcZero = 3,
    }

    /// <summary>
    /// A command APDU as a view on a caller-owned buffer: header, Lc/data and Le decoded in place.
    /// Reusable; <see cref="Parse"/> allocates nothing and never throws.
    /// </summary>
    public sealed class CommandApdu
    {
        private byte[]? _buffer;
        private int _offset;
        private int _length;
        private ApduCase _case;
        private bool _extended;
        private int _nc;
        private int _dataOffset;
        private int _ne;

        /// <summary>The buffer of the last parse (null before any).</summary>
        public byte[]? Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Offset of the APDU (CLA) in <see cref="Buffer"/>.</summary>
        public int Offset
        {
            get { return _offset; }
        }

        /// <summary>Total length of the APDU.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>The case; <see cref="ApduCase.Invalid"/> after a failed parse.</summary>
        public ApduCase Case
        {
            get { return _case; }
        }

        /// <summary>True when the Lc or Le field uses the extended (3-byte / 2-byte) form.</summary>
        public bool IsExtended
        {
            get { return _extended; }
        }

        /// <summary>Class byte.</summary>
        public byte Cla
        {
            get { return _buffer == null ? (byte)0 : _buffer[_offset]; }
        }

        /// <summary>Instruction byte.</summary>
        public byte Ins
        {
            get { return _buffer == null ? (byte)0 : _buffer[_offset + 1]; }
        }

        /// <summary>Parameter 1.</summary>
        public byte P1
        {
            get { return _buffer == null ? (byte)0 : _buffer[_offset + 2]; }
        }

        /// <summary>Parameter 2.</summary>
        public byte P2
        {
            get { return _buffer == null ? (byte)0 : _buffer[_offset + 3]; }
        }

        /// <summary>Number of command data bytes Nc (0 for cases 1 and 2).</summary>
        public int Nc
        {
            get { return _nc; }
        }

        /// <summary>Offset of the command data in <see cref="Buffer"/>.</summary>
        public int DataOffset
        {
            get { return _dataOffset; }
        }

        /// <summary>Maximum number of response data bytes Ne: 0 when no Le field, up to 256 (short) or 65 536 (extended).</summary>
        public int Ne
        {
            get { return _ne; }
        }

        /// <summary>Decodes the APDU at <paramref name="offset"/> (ISO/IEC 7816-4 §5.1, Table 1 rules).</summary>
        public ApduError Parse(byte[] buffer, int offset, int length)
        {
            _case = ApduCase.Invalid;
            _extended = false;
            _nc = 0;
            _ne = 0;
            _buffer = null;
            _offset = 0;
            _length = 0;
            _dataOffset = 0;
            if (buffer == null || offset < 0 || length < 4 || offset > buffer.Length || length > buffer.Length - offset)
            {
                return ApduError.TooShort;
            }
            _buffer = buffer;
            _offset = offset;
            _length = length;
            _dataOffset = offset + 4;
            if (length == 4)
            {
                _case = ApduCase.Case1;
                return ApduError.None;
            }
            int b4 = buffer[offset + 4];
            if (length == 5)
            {
                _case = ApduCase.Case2;
                _ne = b4 == 0 ? 256 : b4;
                return ApduError.None;
            }
            if (b4 != 0)
            {
                _nc = b4;
                _dataOffset = offset + 5;
                if (length == 5 + b4)
                {
                    _case = ApduCase.Case3;
                    return ApduError.None;
                }
                if (length == 6 + b4)
                {
                    int le = buffer[offset + length - 1];
                    _ne = le == 0 ? 256 : le;
                    _case = ApduCase.Case4;
                    return ApduError.None;
                }
                return Fail(ApduError.LengthMismatch);
            }
            if (length < 7)
            {
                return Fail(ApduError.LengthMismatch);
            }
            _extended = true;
            int l = (buffer[offset + 5] << 8) | buffer[offset + 6];
            if (length == 7)
            {
                _case = ApduCase.Case2;
                _ne = l == 0 ? 65536 : l;
                return ApduError.None;
            }
            if (l == 0)
            {
                return Fail(ApduError.ExtendedLcZero);
            }
            _nc = l;
            _dataOffset = offset + 7;
            if (length == 7 + l)
            {
                _case = ApduCase.Case3;
                return ApduError.None;
            }
            if (length == 9 + l)
            {
                int le = (buffer[offset + length - 2] << 8) | buffer[offset + length - 1];
                _ne = le == 0 ? 65536 : le;
                _case = ApduCase.Case4;
                return ApduError.None;
            }
            return Fail(ApduError.LengthMismatch);
        }

        private ApduError Fail(ApduError error)
        {
            _case = ApduCase.Invalid;
            _extended = false;
            _nc = 0;
            _ne = 0;
            return error;
        }

        /// <summary>
        /// Encodes a command APDU into <paramref name="destination"/>: the short form when Nc &lt;= 255
        /// and Ne &lt;= 256 unless <paramref name="extended"/>, else the extended form. <paramref name="ne"/>
        /// 0 means no Le field; 256 (short) or 65 536 (extended) is encoded as 00 / 0000. Returns the
        /// length, or <see cref="TransmissionError.BadCommand"/> for out-of-range values or a too-small destination.
        /// </summary>
        public static int Encode(byte cla, byte ins, byte p1, byte p2, byte[]? data, int dataOffset, int nc, int ne, bool extended, byte[] destination, int destinationOffset)
        {
            if (nc < 0 || nc > 65535 || ne < 0 || ne > 65536 || (nc > 0 && (data == null || dataOffset < 0 || dataOffset > data.Length - nc)))
            {
                return TransmissionError.BadCommand;
            }
            bool ext = extended || nc > 255 || ne > 256;
            int length = 4 + (nc > 0 ? (ext ? 3 : 1) + nc : 0) + (ne > 0 ? (ext ? (nc > 0 ? 2 : 3) : 1) : 0);
            if (destination == null || destinationOffset < 0 || destinationOffset > destination.Length - length)
            {
                return TransmissionError.BadCommand;
            }
            int p = destinationOffset;
            destination[p++] = cla;
            destination[p++] = ins;
            destination[p++] = p1;
            destination[p++] = p2;
            if (nc > 0)
            {
                if (ext)
                {
                    destination[p++] = 0;
                    destination[p++] = (byte)(nc >> 8);
                    destination[p++] = (byte)nc;
                }
                else
                {
                    destination[p++] = (byte)nc;
                }
                System.Array.Copy(data!, dataOffset, destination, p, nc);
                p += nc;
            }
            if (ne > 0)
            {
                if (ext)
                {
                    if (nc == 0)
                    {
                        destination[p++] = 0;
                    }
                    destination[p++] = (byte)(ne >> 8);
                    destination[p++] = (byte)ne;
                }
                else
                {
                    destination[p++] = (byte)ne;
                }
            }
            return p - destinationOffset;
        }
    }
}
