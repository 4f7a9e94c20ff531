namespace Terminal.Pace
{
    /// <summary>
    /// Reads EF.CardAccess (BSI TR-03110-3 A.1.1, ICAO 9303-11 9.2): a DER SET OF SecurityInfo, and picks the
    /// first PACEInfo this reader can run: protocol id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256 with a standardized
    /// domain parameter ID of brainpoolP256r1 (13), NIST P-256 (12) or brainpoolP384r1 (16). Other SecurityInfos
    /// (chip and terminal authentication, domain parameter infos, card info locators...) are skipped.
    /// </summary>
    /// <remarks>No exception escapes: every malformed input gives <see cref="Malformed"/>.</remarks>
    public sealed class CardAccess
    {
        /// <summary>A supported PACEInfo was found.</summary>
        public const int Found = 0;

        /// <summary>Well formed, but no PACEInfo this reader supports (other mapping, DH, explicit parameters...).</summary>
        public const int NotSupported = -1;

        /// <summary>Not a DER SET OF SEQUENCE (bad tag, length beyond the data, truncated element).</summary>
        public const int Malformed = -2;

        private static readonly byte[] PacePrefix = { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04 };

        private PaceAlgorithm? _algorithm;
        private int _parameterId = -1;
        private int _version = -1;

        /// <summary>The chosen algorithm after <see cref="Parse"/> returned <see cref="Found"/>.</summary>
        public PaceAlgorithm? Algorithm
        {
            get { return _algorithm; }
        }

        /// <summary>The chosen PACEInfo's standardized domain parameter ID (-1 when none).</summary>
        public int ParameterId
        {
            get { return _parameterId; }
        }

        /// <summary>The chosen PACEInfo's version (2 for TR-03110 v2 cards).</summary>
        public int Version
        {
            get { return _version; }
        }

        /// <summary>Parses <paramref name="count"/> bytes of EF.CardAccess at <paramref name="offset"/>.</summary>
        /// <returns><see cref="Found"/>, <see cref="NotSupported"/> or <see cref="Malformed"/>.</returns>
        public int Parse(byte[] data, int offset, int count)
        {
            int result = Scan(data, offset, count);
            if (result != Found)
            {
                // A refused file chooses nothing, even after a supported PACEInfo (found by fuzzing).
                _algorithm = null;
                _parameterId = -1;
                _version = -1;
            }
            return result;
        }

        private int Scan(byte[] data, int offset, int count)
        {
            _algorithm = null;
            _parameterId = -1;
            _version = -1;
            if (data == null || offset < 0 || count < 0 || data.Length - offset < count)
            {
                return Malformed;
            }
            int end = offset + count;
            int p = offset;
            int setEnd = Element(data, ref p, end, 0x31);
            if (setEnd < 0 || setEnd != end)
            {
                return Malformed;
            }
            int result = NotSupported;
            while (p < setEnd)
            {
                int seqEnd = Element(data, ref p, setEnd, 0x30);
                if (seqEnd < 0)
                {
                    return Malformed;
                }
                int q = p;
                p = seqEnd;
                if (result == Found)
                {
                    continue;
                }
                int oidEnd = Element(data, ref q, seqEnd, 0x06);
                if (oidEnd < 0)
                {
                    return Malformed;
                }
                int oidStart = q;
                int oidLength = oidEnd - oidStart;
                q = oidEnd;
                if (!StartsWithPace(data, oidStart, oidLength))
                {
                    continue;
                }
                PaceAlgorithm? algorithm = PaceAlgorithm.FromOid(data, oidStart, oidLength);
                int version = Integer(data, ref q, seqEnd);
                if (version == -2)
                {
                    return Malformed;
                }
                int parameterId = q < seqEnd ? Integer(data, ref q, seqEnd) : -1;
                if (parameterId == -2)
                {
                    return Malformed;
                }
                if (algorithm != null && (parameterId == 12 || parameterId == 13 || parameterId == 16))
                {
                    _algorithm = algorithm;
                    _parameterId = parameterId;
                    _version = version;
                    result = Found;
                }
            }
            return result;
        }

        private static bool StartsWithPace(byte[] data, int at, int length)
        {
            if (length < PacePrefix.Length)
            {
                return false;
            }
            for (int i = 0; i < PacePrefix.Length; i++)
            {
                if (data[at + i] != PacePrefix[i])
                {
                    return false;
                }
            }
            return true;
        }

        // Reads a small non-negative INTEGER; -2 when malformed.
        private static int Integer(byte[] data, ref int p, int end)
        {
            int valueEnd = Element(data, ref p, end, 0x02);
            if (valueEnd < 0 || valueEnd == p || valueEnd - p > 3)
            {
                return -2;
            }
            int v = 0;
            for (int i = p; i < valueEnd; i++)
            {
                v = (v << 8) | data[i];
            }
            p = valueEnd;
            return v;
        }

        // Reads tag and DER length at p (which moves to the value); returns the end of the value, or -1.
        private static int Element(byte[] data, ref int p, int end, int tag)
        {
            if (p + 2 > end || data[p] != tag)
            {
                return -1;
            }
            int first = data[p + 1];
            int length;
            int value;
            if (first < 0x80)
            {
                length = first;
                value = p + 2;
            }
            else if (first == 0x81 && p + 3 <= end)
            {
                length = data[p + 2];
                value = p + 3;
            }
            else if (first == 0x82 && p + 4 <= end)
            {
                length = (data[p + 2] << 8) | data[p + 3];
                value = p + 4;
            }
            else
            {
                return -1;
            }
            if (length > end - value)
            {
                return -1;
            }
            p = value;
            return value + length;
        }
    }
}
