namespace Terminal.PinPad
{
    /// <summary>
    /// The digits of one PIN entry in a byte array owned by this object, stored as ASCII '0' to '9'
    /// so that a held digit is never a zero byte (a wiped buffer is told apart from the PIN 0000).
    /// Never a string: strings are immutable and cannot be wiped. <see cref="Wipe"/> zeroes every byte of the
    /// storage; every user of a buffer calls it in a <c>finally</c>.
    /// </summary>
    public sealed class PinBuffer
    {
        /// <summary>The most digits a buffer holds by default (a 2x16 display shows 16 stars on a line).</summary>
        public const int DefaultCapacity = 16;

        private readonly byte[] _digits;
        private int _count;

        /// <summary>A buffer of <see cref="DefaultCapacity"/> digits.</summary>
        public PinBuffer() : this(new byte[DefaultCapacity])
        {
        }

        /// <summary>
        /// A buffer over caller-provided storage (tests pass their own array so they can check it is
        /// all zero after an entry). The storage is wiped now.
        /// </summary>
        public PinBuffer(byte[] storage)
        {
            _digits = storage;
            Wipe();
        }

        /// <summary>How many digits the buffer can hold.</summary>
        public int Capacity
        {
            get { return _digits.Length; }
        }

        /// <summary>How many digits are held.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Adds a digit (0 to 9); false when full or not a digit.</summary>
        public bool Append(int digit)
        {
            if (digit < 0 || digit > 9 || _count >= _digits.Length)
            {
                return false;
            }

            _digits[_count++] = (byte)(0x30 + digit);
            return true;
        }

        /// <summary>Removes the last digit; false when empty.</summary>
        public bool RemoveLast()
        {
            if (_count == 0)
            {
                return false;
            }

            _count--;
            _digits[_count] = 0;
            return true;
        }

        /// <summary>The digit at <paramref name="index"/> (0 to 9). Only the PIN block builder reads digits.</summary>
        public int DigitAt(int index)
        {
            return _digits[index] - 0x30;
        }

        /// <summary>True when both buffers hold the same digits; takes the same time whatever digit differs.</summary>
        public bool SameDigitsAs(PinBuffer other)
        {
            int difference = _count ^ other._count;
            int n = _count < other._count ? _count : other._count;
            for (int i = 0; i < n; i++)
            {
                difference |= _digits[i] ^ other._digits[i];
            }

            return difference == 0;
        }

        /// <summary>Zeroes the whole storage and forgets the count.</summary>
        public void Wipe()
        {
            for (int i = 0; i < _digits.Length; i++)
            {
                _digits[i] = 0;
            }

            _count = 0;
        }

        /// <summary>True when every byte of the storage is zero and the count is zero.</summary>
        public bool IsClear
        {
            get
            {
                int any = _count;
                for (int i = 0; i < _digits.Length; i++)
                {
                    any |= _digits[i];
                }

                return any == 0;
            }
        }
    }
}
