namespace Terminal.Slots
{
    /// <summary>
    /// A host command the reader itself must read whole at T=1 TPDU level (under secure messaging, or a PACE
    /// pseudo-APDU) that the host sends in chained I-blocks (ISO/IEC 7816-3 §11.6.2.3): the reader acknowledges
    /// each block with R(N(R)) in place of the card and gathers the information fields here, until the
    /// block without the M bit. Each block absorbed moves the host's sequence count one step past the card's
    /// (<see cref="CardSlot.AbsorbHostBlock"/>). One per slot; nothing allocated per block; wiped after use.
    /// </summary>
    public sealed class T1CommandChain
    {
        /// <summary>
        /// Room for a long EstablishPACEChannel input (CHAT, certificate description) or an extended command;
        /// under SM the channel itself takes short commands (261 bytes), longer ones get 6700 from it.
        /// </summary>
        public const int DefaultCapacity = 1024;

        private readonly byte[] _command;
        private int _length;
        private bool _pending;
        private bool _overflow;

        /// <summary>A chain for commands of up to <paramref name="capacity"/> bytes.</summary>
        public T1CommandChain(int capacity)
        {
            _command = new byte[capacity];
        }

        /// <summary>True between the first chained block and the last.</summary>
        public bool Pending
        {
            get { return _pending; }
        }

        /// <summary>True when the blocks so far held more than the capacity (the command is then refused whole).</summary>
        public bool Overflow
        {
            get { return _overflow; }
        }

        /// <summary>The command gathered so far.</summary>
        public byte[] Command
        {
            get { return _command; }
        }

        /// <summary>Its length.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Adds the information field of one host I-block.</summary>
        public void Append(byte[] block, int offset, int length)
        {
            _pending = true;
            if (_overflow || _length + length > _command.Length)
            {
                _overflow = true;
                return;
            }
            System.Array.Copy(block, offset, _command, _length, length);
            _length += length;
        }

        /// <summary>
        /// Writes the R-block acknowledging the host's chained I-block of PCB <paramref name="hostPcb"/>
        /// (N(R) the N(S) of the block expected next, NAD with the addresses swapped) and returns its length.
        /// </summary>
        public static int Acknowledge(CardSlot card, byte nad, byte hostPcb, byte[] block, int offset)
        {
            block[offset] = (byte)(((nad & 0x07) << 4) | ((nad >> 4) & 0x07));
            block[offset + 1] = (byte)(0x80 | ((((hostPcb >> 6) & 1) ^ 1) << 4));
            block[offset + 2] = 0;
            return 3 + card.AppendEdc(block, offset, 3);
        }

        /// <summary>Drops the command and wipes it.</summary>
        public void Clear()
        {
            System.Array.Clear(_command, 0, _command.Length);
            _length = 0;
            _pending = false;
            _overflow = false;
        }
    }
}
