namespace Terminal.Iso7816
{
    /// <summary>
    /// The T=1 block transport (ISO/IEC 7816-3 §11.4): one block to the card, one block from it, with
    /// BGT before sending, BWT (times the WTX multiplier) for the first character and CWT between the
    /// others; the end of a block is known from LEN and the EDC length. This is what the CCID TPDU
    /// level needs (the host runs the protocol), and what <see cref="T1Protocol"/> runs on.
    /// </summary>
    public sealed class T1Transport
    {
        private readonly ICardLine _line;
        private readonly Timing _timing;
        private bool _crc;
        private int _wtx = 1;
        private bool _edcValid;
        private int _abort;

        /// <summary>A transport on <paramref name="line"/> with the T=1 times of <paramref name="timing"/>.</summary>
        public T1Transport(ICardLine line, Timing timing)
        {
            _line = line;
            _timing = timing;
        }

        /// <summary>True for a CRC epilogue (2 bytes), false for LRC (1 byte).</summary>
        public bool UsesCrc
        {
            get { return _crc; }
            set { _crc = value; }
        }

        /// <summary>BWT multiplier for the next <see cref="ReceiveBlock"/> only (S(WTX) INF); back to 1 afterwards.</summary>
        public int WtxMultiplier
        {
            get { return _wtx; }
            set { _wtx = value < 1 ? 1 : value; }
        }

        /// <summary>True when the last block received had LEN &lt;= 254 and a correct EDC.</summary>
        public bool EdcValid
        {
            get { return _edcValid; }
        }

        /// <summary>Ends a reception in progress with <see cref="TransmissionError.Aborted"/> at the next character. Thread-safe.</summary>
        public void RequestAbort()
        {
            System.Threading.Interlocked.Exchange(ref _abort, 1);
        }

        /// <summary>Clears a pending abort request.</summary>
        public void ClearAbort()
        {
            System.Threading.Interlocked.Exchange(ref _abort, 0);
        }

        /// <summary>
        /// Sends a block as given (its EDC is the caller's), after the block guard time when the card
        /// spoke last; an S(WTX response) sets <see cref="WtxMultiplier"/> from its INF for the next
        /// block. Returns 0, or <see cref="TransmissionError.BadCommand"/> for a block shorter than 4 bytes.
        /// </summary>
        public int SendBlock(byte[] block, int offset, int length)
        {
            if (block == null || offset < 0 || length < PrologueLength + 1 || offset > block.Length - length)
            {
                return TransmissionError.BadCommand;
            }
            // A host-built S(WTX response) grants the card that multiple of BWT for its next block (TPDU level).
            if ((block[offset + 1] & 0xFF) == 0xE3 && block[offset + 2] == 1)
            {
                WtxMultiplier = block[offset + 3];
            }
            _timing.TurnAround(_line, 1);
            _line.Send(block, offset, length);
            return 0;
        }

        private const int PrologueLength = T1Block.PrologueLength;

        /// <summary>
        /// Receives one block into <paramref name="buffer"/>: NAD within BWT x <see cref="WtxMultiplier"/>,
        /// then PCB, LEN and LEN + EDC bytes each within CWT. Returns the block length (EDC included;
        /// check <see cref="EdcValid"/>), or <see cref="TransmissionError.Mute"/> (nothing within BWT, or
        /// a character missing within CWT), <see cref="TransmissionError.ParityError"/> (the whole block was
        /// read), <see cref="TransmissionError.Overrun"/> (block longer than <paramref name="capacity"/>; it
        /// was read and dropped), <see cref="TransmissionError.CardRemoved"/> or <see cref="TransmissionError.Aborted"/>.
        /// </summary>
        public int ReceiveBlock(byte[] buffer, int offset, int capacity)
        {
            _edcValid = false;
            if (buffer == null || offset < 0 || capacity < 0 || offset > buffer.Length - capacity)
            {
                capacity = 0;
            }
            long bwt = _timing.BwtCyclesWithWtx(_wtx);
            _wtx = 1;
            long cwt = _timing.CwtCycles;
            int edc = T1Block.EdcLength(_crc);
            int expected = PrologueLength + edc;
            int count = 0;
            bool parity = false;
            while (count < expected)
            {
                if (_abort != 0)
                {
                    return TransmissionError.Aborted;
                }
                int c = _line.Receive(count == 0 ? bwt : cwt);
                if (c < 0)
                {
                    return c == LineStatus.NoCard ? TransmissionError.CardRemoved : TransmissionError.Mute;
                }
                _timing.CardLastSpokeAt = _line.Now;
                if ((c & LineStatus.ParityError) != 0)
                {
                    parity = true;
                }
                if (count < capacity)
                {
                    buffer![offset + count] = (byte)c;
                }
                if (count == 2)
                {
                    expected += c & 0xFF;
                }
                count++;
            }
            if (parity)
            {
                return TransmissionError.ParityError;
            }
            if (count > capacity)
            {
                return TransmissionError.Overrun;
            }
            _edcValid = T1Block.IsValid(buffer!, offset, count, _crc);
            return count;
        }
    }
}
