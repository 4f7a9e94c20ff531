namespace Terminal.Iso7816
{
    /// <summary>
    /// The T=1 block protocol at the APDU level (ISO/IEC 7816-3 §11): I-blocks with sequence numbers
    /// and chaining both ways (IFSC for what the reader sends, the card's M bit for what it returns),
    /// R-blocks, S-blocks (IFS both ways, WTX, RESYNCH, ABORT) and the error recovery of §11.6.3
    /// (R-block or S-request retransmission, RESYNCH after three failed attempts, deactivation when
    /// RESYNCH fails). Reusable, no allocation per exchange.
    /// </summary>
    public sealed class T1Protocol
    {
        /// <summary>The IFSD the reader offers (the largest allowed).</summary>
        public const int DefaultIfsd = 254;

        // A block is sent at most three times before the next step of recovery (§11.6.3.2, Annex A scenario 13).
        private const int MaxAttempts = 3;

        private readonly ICardLine _line;
        private readonly Timing _timing;
        private readonly T1Transport _transport;
        private readonly byte[] _iBlock = new byte[T1Block.MaxBlockLength];
        private readonly byte[] _control = new byte[T1Block.PrologueLength + 1 + 2];
        private readonly byte[] _rx = new byte[T1Block.MaxBlockLength];
        private int _iBlockLength;
        private int _controlLength;
        private bool _lastSentIBlock;
        private int _ns;
        private int _nr;
        private int _ifsc = 32;
        private int _initialIfsc = 32;
        private int _ifsd = 32;
        private bool _crc;
        private byte _nad;
        private bool _deactivated;
        private int _abort;
        private int _rxLength;
        private ICardWaitListener? _waitListener;

        /// <summary>T=1 on <paramref name="line"/> with the times of <paramref name="timing"/>.</summary>
        public T1Protocol(ICardLine line, Timing timing)
        {
            _line = line;
            _timing = timing;
            _transport = new T1Transport(line, timing);
        }

        /// <summary>The block transport this protocol uses.</summary>
        public T1Transport Transport
        {
            get { return _transport; }
        }

        /// <summary>NAD of the blocks the reader sends (0 by default).</summary>
        public byte Nad
        {
            get { return _nad; }
            set { _nad = value; }
        }

        /// <summary>The card's information field size in force (from the ATR, or its S(IFS request)).</summary>
        public int Ifsc
        {
            get { return _ifsc; }
            set
            {
                if (value >= 1 && value <= 254)
                {
                    _ifsc = value;
                }
            }
        }

        /// <summary>The reader's information field size announced to the card (32 until <see cref="NegotiateIfsd"/>).</summary>
        public int Ifsd
        {
            get { return _ifsd; }
        }

        /// <summary>True for CRC, false for LRC.</summary>
        public bool UsesCrc
        {
            get { return _crc; }
            set
            {
                _crc = value;
                _transport.UsesCrc = value;
            }
        }

        /// <summary>Send sequence number of the reader's next I-block.</summary>
        public int SendSequence
        {
            get { return _ns; }
        }

        /// <summary>Expected send sequence number of the card's next I-block.</summary>
        public int ReceiveSequence
        {
            get { return _nr; }
        }

        /// <summary>True after a failed RESYNCH deactivated the card; a new ATR (<see cref="Reset(Atr)"/>) is needed.</summary>
        public bool IsDeactivated
        {
            get { return _deactivated; }
        }

        /// <summary>Told about every S(WTX request) (CCID time extension); null for none.</summary>
        public ICardWaitListener? WaitListener
        {
            get { return _waitListener; }
            set { _waitListener = value; }
        }

        /// <summary>
        /// Makes the exchange in progress end with <see cref="TransmissionError.Aborted"/>: S(ABORT request)
        /// is sent the next time the reader has the turn inside a chain (either direction); an exchange
        /// not yet started is refused without sending anything. Thread-safe.
        /// </summary>
        public void RequestAbort()
        {
            System.Threading.Interlocked.Exchange(ref _abort, 1);
        }

        /// <summary>Clears a pending abort request.</summary>
        public void ClearAbort()
        {
            System.Threading.Interlocked.Exchange(ref _abort, 0);
            _transport.ClearAbort();
        }

        /// <summary>Starts a protocol session after an ATR: IFSC (32 if RFU), EDC, sequence numbers 0, IFSD 32.</summary>
        public void Reset(Atr atr)
        {
            Reset(atr.Ifsc > 0 ? atr.Ifsc : 32, atr.UsesCrc);
        }

        /// <summary>Starts a protocol session with explicit parameters (CCID SetParameters).</summary>
        public void Reset(int ifsc, bool crc)
        {
            _initialIfsc = ifsc >= 1 && ifsc <= 254 ? ifsc : 32;
            _ifsc = _initialIfsc;
            _ifsd = 32;
            UsesCrc = crc;
            _ns = 0;
            _nr = 0;
            _deactivated = false;
            _transport.WtxMultiplier = 1;
        }

        /// <summary>
        /// Takes over a session another party ran so far (the host, at CCID TPDU level): the next I-block goes
        /// out with N(S) <paramref name="sendSequence"/>, the card's next I-block is expected with
        /// <paramref name="receiveSequence"/>, and blocks are cut to <paramref name="ifsc"/>. The reader then
        /// exchanges APDUs itself (PACE, secure messaging) between two of the host's blocks.
        /// </summary>
        public void Resume(int sendSequence, int receiveSequence, int ifsc)
        {
            _ns = sendSequence & 1;
            _nr = receiveSequence & 1;
            Ifsc = ifsc;
            _deactivated = false;
        }

        /// <summary>
        /// S(IFS request) with <paramref name="ifsd"/> (§11.4.2): up to three attempts; returns 0 when the
        /// card echoed it, or a <see cref="TransmissionError"/>.
        /// </summary>
        public int NegotiateIfsd(int ifsd)
        {
            if (_deactivated)
            {
                return TransmissionError.Deactivated;
            }
            if (ifsd < 1 || ifsd > 254)
            {
                return TransmissionError.BadCommand;
            }
            _control[3] = (byte)ifsd;
            int length = T1Block.Encode(_nad, T1Block.SPcb(T1Block.Ifs, false), _control, 3, 1, _crc, _control, 0);
            int r = SRequest(length, T1Block.Ifs);
            if (r >= 0)
            {
                if (_rx[2] != 1 || _rx[3] != ifsd)
                {
                    return TransmissionError.ProtocolError;
                }
                _ifsd = ifsd;
                return 0;
            }
            return r;
        }

        /// <summary>
        /// S(RESYNCH request) (§11.6.3.2): up to three attempts; on success sequence numbers and IFSC/IFSD
        /// go back to their initial values and 0 is returned; on failure the card is deactivated and
        /// <see cref="TransmissionError.Deactivated"/> (or CardRemoved) returned.
        /// </summary>
        public int Resynch()
        {
            int length = T1Block.Encode(_nad, T1Block.SPcb(T1Block.Resynch, false), null, 0, 0, _crc, _control, 0);
            int r = SRequest(length, T1Block.Resynch);
            if (r >= 0)
            {
                _ns = 0;
                _nr = 0;
                _ifsc = _initialIfsc;
                _ifsd = 32;
                return 0;
            }
            if (r == TransmissionError.CardRemoved)
            {
                return r;
            }
            _deactivated = true;
            _line.SetReset(false);
            _line.SetClock(false);
            _line.SetVcc(VoltageClass.None);
            return TransmissionError.Deactivated;
        }

        // Sends the S-request in _control and waits for the matching response, retransmitting the request
        // on anything else (§11.6.3.2 rule 7.3 and the RESYNCH scenarios). Returns 0 with the response in _rx.
        private int SRequest(int length, int type)
        {
            _controlLength = length;
            for (int attempt = 0; attempt < MaxAttempts; attempt++)
            {
                _transport.SendBlock(_control, 0, _controlLength);
                int r = Receive();
                if (r == TransmissionError.CardRemoved || r == TransmissionError.Aborted)
                {
                    return r;
                }
                if (r >= 0 && T1Block.IsSBlock(_rx[1]) && T1Block.IsResponse(_rx[1]) && T1Block.SType(_rx[1]) == type)
                {
                    return 0;
                }
            }
            return TransmissionError.ProtocolError;
        }

        // Receives one block into _rx; 0 = a valid block, else the transport's error (EDC/LEN errors give ParityError-like "invalid").
        private int Receive()
        {
            int r = _transport.ReceiveBlock(_rx, 0, _rx.Length);
            if (r < 0)
            {
                return r;
            }
            _rxLength = r;
            if (!_transport.EdcValid)
            {
                return InvalidEdc;
            }
            int pcb = _rx[1];
            int len = _rx[2];
            if (T1Block.IsRBlock(pcb) && ((pcb & 0x2C) != 0 || len != 0))
            {
                return InvalidOther;
            }
            if (T1Block.IsSBlock(pcb))
            {
                int type = T1Block.SType(pcb);
                if (type > T1Block.Wtx || ((type == T1Block.Ifs || type == T1Block.Wtx) && len != 1))
                {
                    return InvalidOther;
                }
            }
            return 0;
        }

        private const int InvalidEdc = -100;
        private const int InvalidOther = -101;

        /// <summary>
        /// Sends a command APDU (or any data up to 65 544 bytes) in I-blocks of at most IFSC bytes and
        /// returns the card's response (its I-blocks concatenated) at <paramref name="responseOffset"/>.
        /// Returns the response length or a <see cref="TransmissionError"/>; on Overrun the card's chain was
        /// read to its end and dropped, so the protocol stays in step.
        /// </summary>
        public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseCapacity)
        {
            if (_deactivated)
            {
                return TransmissionError.Deactivated;
            }
            if (command == null || offset < 0 || length < 0 || offset > command.Length - length)
            {
                return TransmissionError.BadCommand;
            }
            if (response == null || responseOffset < 0 || responseCapacity < 0 || responseOffset > response.Length - responseCapacity)
            {
                return TransmissionError.Overrun;
            }
            if (_abort != 0)
            {
                // Nothing sent yet: the card has nothing to abort.
                System.Threading.Interlocked.Exchange(ref _abort, 0);
                return TransmissionError.Aborted;
            }
            bool restarted = false;
            while (true)
            {
                int r = Exchange(command, offset, length, response, responseOffset, responseCapacity);
                if (r != NeedResynch)
                {
                    return r;
                }
                int s = Resynch();
                if (s < 0)
                {
                    return s;
                }
                if (restarted)
                {
                    return TransmissionError.ProtocolError;
                }
                restarted = true;
            }
        }

        private const int NeedResynch = -102;

        // The longest response APDU (65 536 data bytes and SW1 SW2), with room for a NAD-level envelope.
        private const int MaxResponseLength = 65536 + 2 + 254;

        private int Exchange(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseCapacity)
        {
            int sent = 0;
            int chunk = BuildIBlock(command, offset, length, 0);
            bool chaining = chunk < length;
            bool acknowledged = false; // the card has answered our last I-block with an I-block
            int received = 0;
            int total = 0;
            bool overrun = false;
            int errors = 0;
            SendI();
            while (true)
            {
                int r = Receive();
                if (r == TransmissionError.CardRemoved || r == TransmissionError.Aborted)
                {
                    return r;
                }
                if (r < 0)
                {
                    // Invalid block or nothing within BWT (§11.6.3.2 rules 7.1, 7.2).
                    if (++errors > MaxAttempts)
                    {
                        return NeedResynch;
                    }
                    SendR(_nr, r == InvalidEdc || r == TransmissionError.ParityError ? T1Block.ErrorEdc : T1Block.ErrorOther);
                    continue;
                }
                int pcb = _rx[1];
                if (T1Block.IsIBlock(pcb))
                {
                    if (chaining || T1Block.SendSequence(pcb) != _nr)
                    {
                        if (++errors > MaxAttempts)
                        {
                            return NeedResynch;
                        }
                        SendR(_nr, T1Block.ErrorOther);
                        continue;
                    }
                    if (!acknowledged)
                    {
                        acknowledged = true;
                        _ns ^= 1;
                    }
                    _nr ^= 1;
                    errors = 0;
                    int len = _rx[2];
                    total += len;
                    if (total > MaxResponseLength)
                    {
                        // No response APDU is that long: a card chaining without end is stopped.
                        AbortExchange();
                        return TransmissionError.Overrun;
                    }
                    if (!overrun && received + len <= responseCapacity)
                    {
                        System.Array.Copy(_rx, 3, response, responseOffset + received, len);
                        received += len;
                    }
                    else
                    {
                        overrun = true;
                    }
                    if (T1Block.HasMore(pcb))
                    {
                        if (_abort != 0)
                        {
                            return AbortExchange();
                        }
                        SendR(_nr, T1Block.ErrorNone);
                        continue;
                    }
                    return overrun ? TransmissionError.Overrun : received;
                }
                if (T1Block.IsRBlock(pcb))
                {
                    int nr = T1Block.ReceiveSequence(pcb);
                    if (!acknowledged && chaining && nr != _ns)
                    {
                        // Acknowledges our chained block: the card wants the next one (§11.6.2.3).
                        _ns ^= 1;
                        if (_abort != 0)
                        {
                            return AbortExchange();
                        }
                        sent += chunk;
                        errors = 0;
                        chunk = BuildIBlock(command, offset + sent, length - sent, sent);
                        chaining = sent + chunk < length;
                        SendI();
                        continue;
                    }
                    if (++errors > MaxAttempts)
                    {
                        return NeedResynch;
                    }
                    if (!acknowledged && nr == _ns)
                    {
                        // Resent at the IFSC now in force: the card may have lowered it meanwhile (§11.4.2).
                        chunk = BuildIBlock(command, offset + sent, length - sent, sent);
                        chaining = sent + chunk < length;
                        SendI();
                    }
                    else
                    {
                        Resend();
                    }
                    continue;
                }
                // S-blocks from the card.
                int type = T1Block.SType(pcb);
                if (!T1Block.IsResponse(pcb) && type == T1Block.Wtx)
                {
                    int multiplier = _rx[3];
                    SendS(T1Block.Wtx, _rx[3]);
                    ICardWaitListener? listener = _waitListener;
                    if (listener != null)
                    {
                        listener.CardWaiting(1, _timing.BwtCyclesWithWtx(multiplier));
                    }
                    continue;
                }
                if (!T1Block.IsResponse(pcb) && type == T1Block.Ifs)
                {
                    int ifs = _rx[3];
                    if (ifs >= 1 && ifs <= 254)
                    {
                        _ifsc = ifs;
                    }
                    SendS(T1Block.Ifs, _rx[3]);
                    continue;
                }
                if (!T1Block.IsResponse(pcb) && type == T1Block.Abort)
                {
                    SendS(T1Block.Abort, -1);
                    // The card then hands the turn back with an R-block whose N(R) is the next I-block it
                    // expects (Annex A scenarios 26, 27); read it so the next exchange starts in step.
                    if (Receive() == 0 && T1Block.IsRBlock(_rx[1]))
                    {
                        _ns = T1Block.ReceiveSequence(_rx[1]);
                    }
                    return TransmissionError.Aborted;
                }
                // A response we did not ask for, or a RESYNCH request (only the reader may send it).
                if (++errors > MaxAttempts)
                {
                    return NeedResynch;
                }
                SendR(_nr, T1Block.ErrorOther);
            }
        }

        private int AbortExchange()
        {
            System.Threading.Interlocked.Exchange(ref _abort, 0);
            int length = T1Block.Encode(_nad, T1Block.SPcb(T1Block.Abort, false), null, 0, 0, _crc, _control, 0);
            SRequest(length, T1Block.Abort);
            return TransmissionError.Aborted;
        }

        private int BuildIBlock(byte[] command, int offset, int remaining, int sent)
        {
            int chunk = remaining > _ifsc ? _ifsc : remaining;
            _iBlockLength = T1Block.Encode(_nad, T1Block.IPcb(_ns, chunk < remaining), command, offset, chunk, _crc, _iBlock, 0);
            return chunk;
        }

        private void SendI()
        {
            _lastSentIBlock = true;
            _transport.SendBlock(_iBlock, 0, _iBlockLength);
        }

        private void SendR(int nr, int error)
        {
            _controlLength = T1Block.Encode(_nad, T1Block.RPcb(nr, error), null, 0, 0, _crc, _control, 0);
            _lastSentIBlock = false;
            _transport.SendBlock(_control, 0, _controlLength);
        }

        private void SendS(int type, int information)
        {
            if (information >= 0)
            {
                _control[3] = (byte)information;
                _controlLength = T1Block.Encode(_nad, T1Block.SPcb(type, true), _control, 3, 1, _crc, _control, 0);
            }
            else
            {
                _controlLength = T1Block.Encode(_nad, T1Block.SPcb(type, true), null, 0, 0, _crc, _control, 0);
            }
            _lastSentIBlock = false;
            _transport.SendBlock(_control, 0, _controlLength);
        }

        private void Resend()
        {
            if (_lastSentIBlock)
            {
                _transport.SendBlock(_iBlock, 0, _iBlockLength);
            }
            else
            {
                _transport.SendBlock(_control, 0, _controlLength);
            }
        }
    }
}
