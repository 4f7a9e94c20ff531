namespace Terminal.Slots
{
    /// <summary>
    /// An answer the reader itself gives the host at T=1 TPDU level (secure messaging unwrapped by the reader)
    /// that is longer than the host's IFSD: sent as chained I-blocks, as a card would (ISO/IEC 7816-3
    /// §11.6.2.3). The first block goes with the answer; the host asks for each next one with R(N(R)), and an
    /// R-block naming the block just sent (or an error R-block) has it sent again (§11.6.3.2). Each
    /// block the reader adds moves the host's view of the card's sequence numbers one step
    /// (<see cref="CardSlot.TakeChainedAnswerPcb"/>), so that the relay translates them afterwards. One per
    /// slot; nothing allocated per block.
    /// </summary>
    public sealed class T1AnswerChain
    {
        private readonly byte[] _rest;
        private int _next;
        private int _end;
        private int _lastStart;
        private int _lastLength;
        private byte _lastPcb;
        private byte _nad;

        /// <summary>A chain for answers of up to <paramref name="capacity"/> bytes.</summary>
        public T1AnswerChain(int capacity)
        {
            _rest = new byte[capacity];
            _lastStart = -1;
        }

        /// <summary>True while blocks of the answer remain to be sent, or the last one may be asked again.</summary>
        public bool Pending
        {
            get { return _lastStart >= 0; }
        }

        /// <summary>True when nothing of an answer is kept.</summary>
        public bool IsClear
        {
            get
            {
                for (int i = 0; i < _rest.Length; i++)
                {
                    if (_rest[i] != 0)
                    {
                        return false;
                    }
                }
                return !Pending;
            }
        }

        /// <summary>
        /// Keeps the <paramref name="length"/>-byte answer at <paramref name="offset"/>, whose first
        /// <paramref name="ifsd"/> bytes the caller sends now with NAD <paramref name="nad"/> and PCB
        /// <paramref name="firstPcb"/> (its M bit set). False when it does not fit (nothing kept).
        /// </summary>
        public bool Begin(byte[] answer, int offset, int length, int ifsd, byte nad, byte firstPcb)
        {
            Clear();
            if (length <= ifsd || length > _rest.Length)
            {
                return false;
            }
            System.Array.Copy(answer, offset, _rest, 0, length);
            _end = length;
            _nad = nad;
            _lastStart = 0;
            _lastLength = ifsd;
            _lastPcb = firstPcb;
            _next = ifsd;
            return true;
        }

        /// <summary>
        /// The host's R-block (PCB <paramref name="rPcb"/>) while the chain is pending: writes the block to send at
        /// <paramref name="block"/>[<paramref name="offset"/>] and returns its length: the next one when N(R) names
        /// it, else (N(R) of the block just sent, or an error R-block) that block again. <paramref name="ifsd"/>
        /// bounds the information field of a new block.
        /// </summary>
        public int Answer(CardSlot card, byte rPcb, int ifsd, byte[] block, int offset)
        {
            int lastNs = (_lastPcb >> 6) & 1;
            bool next = (rPcb & 0x0F) == 0 && ((rPcb >> 4) & 1) != lastNs;
            if (next && _next < _end)
            {
                int n = _end - _next;
                _lastStart = _next;
                _lastLength = n > ifsd ? ifsd : n;
                _next += _lastLength;
                _lastPcb = card.TakeChainedAnswerPcb(_next < _end);
            }
            int length = Write(card, block, offset, _lastPcb, _lastStart, _lastLength);
            return length;
        }

        /// <summary>True once the last block has gone (it may still be asked again until the host's next I-block).</summary>
        public bool Complete
        {
            get { return Pending && _next >= _end; }
        }

        /// <summary>Drops the answer and wipes it.</summary>
        public void Clear()
        {
            System.Array.Clear(_rest, 0, _rest.Length);
            _next = 0;
            _end = 0;
            _lastStart = -1;
            _lastLength = 0;
        }

        private int Write(CardSlot card, byte[] block, int offset, int pcb, int start, int length)
        {
            block[offset] = _nad;
            block[offset + 1] = (byte)pcb;
            block[offset + 2] = (byte)length;
            System.Array.Copy(_rest, start, block, offset + 3, length);
            return 3 + length + card.AppendEdc(block, offset, 3 + length);
        }
    }
}
