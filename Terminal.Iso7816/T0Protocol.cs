namespace Terminal.Iso7816
{
    /// <summary>
    /// The T=0 protocol (ISO/IEC 7816-3 §10): one TPDU with its procedure bytes
    /// (<see cref="TransmitTpdu"/>, the CCID TPDU level), and the transport of command APDUs of every
    /// case on top of it (<see cref="TransmitApdu"/>, §12.2: GET RESPONSE, 6Cxx, ENVELOPE). Reusable,
    /// no allocation per exchange.
    /// </summary>
    public sealed class T0Protocol
    {
        /// <summary>INS of GET RESPONSE.</summary>
        public const byte InsGetResponse = 0xC0;

        /// <summary>INS of ENVELOPE.</summary>
        public const byte InsEnvelope = 0xC2;

        // Bounds the follow-up TPDUs of one APDU so that a card repeating 61xx or 6Cxx cannot keep the reader forever.
        private const int MaxFollowUps = 300;

        private readonly ICardLine _line;
        private readonly Timing _timing;
        private readonly byte[] _tpdu = new byte[5 + 255];
        private readonly CommandApdu _apdu = new CommandApdu();
        private int _abort;
        private ICardWaitListener? _waitListener;
        private ICardTraceListener? _traceListener;
        private readonly byte[] _procedureBytes = new byte[16];
        private int _procedureCount;

        /// <summary>T=0 on <paramref name="line"/> with the waiting time of <paramref name="timing"/>.</summary>
        public T0Protocol(ICardLine line, Timing timing)
        {
            _line = line;
            _timing = timing;
        }

        /// <summary>Told about every NULL procedure byte (CCID time extension); null for none.</summary>
        public ICardWaitListener? WaitListener
        {
            get { return _waitListener; }
            set { _waitListener = value; }
        }

        /// <summary>Makes the exchange in progress (or the next one) end with <see cref="TransmissionError.Aborted"/> at the next character boundary. Thread-safe.</summary>
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
        /// Sends one TPDU and runs the procedure bytes (§10.3.3). <paramref name="command"/> holds 4
        /// bytes (case 1; P3 = 00 is sent), 5 bytes (P3 = number of bytes expected from the card, 00 =
        /// 256) or 5 + P3 bytes (P3 data bytes to the card). NULL (60) restarts the waiting time, INS
        /// transfers all remaining bytes, ~INS one byte, 6x/9x is SW1 followed by SW2. Writes the data
        /// received and SW1 SW2 at <paramref name="responseOffset"/>; returns their length or a
        /// <see cref="TransmissionError"/>. 61xx and 6Cxx are the caller's to follow. A case 4 command
        /// APDU (5 + P3 + 1 bytes, P3 &gt; 0) is taken as its C-TPDU (§12.2.5): the Le byte is not
        /// sent, and the card's 61xx (or 90 00) is returned for the caller's GET RESPONSE.
        /// </summary>
        public int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseCapacity)
        {
            if (command == null || offset < 0 || length < 4 || offset > command.Length - length)
            {
                return TransmissionError.BadCommand;
            }
            if (response == null || responseOffset < 0 || responseCapacity < 2 || responseOffset > response.Length - responseCapacity)
            {
                return TransmissionError.Overrun;
            }
            int p3 = length == 4 ? 0 : command[offset + 4];
            int outgoing = 0;
            int incoming = 0;
            if (length > 5)
            {
                // 5 + P3 + 1: a case 4 APDU where a C-TPDU belongs. pcsc-lite and libccid pass a
                // host's APDU to a T=0 TPDU-level reader unchanged, and the readers they drive drop
                // the Le (§12.2.5: it comes back in the GET RESPONSE that follows 61xx); refusing it
                // made every case 4 APDU with Le from a PC/SC client fail with a CCID error.
                if ((length != 5 + p3 && length != 6 + p3) || p3 == 0)
                {
                    return TransmissionError.BadCommand;
                }
                outgoing = p3;
            }
            else if (length == 5)
            {
                incoming = p3 == 0 ? 256 : p3;
            }
            int ins = command[offset + 1];
            if (StatusWord.IsValidSw1(ins) || ins == 0x60)
            {
                return TransmissionError.BadCommand;
            }
            _timing.TurnAround(_line, 0);
            if (length == 4)
            {
                _line.Send(command, offset, 4);
                _tpdu[0] = 0;
                _line.Send(_tpdu, 0, 1);
            }
            else
            {
                _line.Send(command, offset, 5);
            }
            _procedureCount = 0;
            int r = Procedure(ins, command, offset + 5, outgoing, incoming, response, responseOffset, responseCapacity);
            FlushProcedureBytes();
            return r;
        }

        /// <summary>Told about the procedure bytes of every TPDU (also those of the APDU level's TPDUs), or null.</summary>
        public ICardTraceListener? TraceListener
        {
            get { return _traceListener; }
            set { _traceListener = value; }
        }

        // Procedure bytes are kept apart from data and SW2 so a trace can show them as the card sent them.
        private void NoteProcedureByte(int c)
        {
            if (_traceListener == null)
            {
                return;
            }
            if (_procedureCount == _procedureBytes.Length)
            {
                FlushProcedureBytes();
            }
            _procedureBytes[_procedureCount++] = (byte)c;
        }

        private void FlushProcedureBytes()
        {
            ICardTraceListener? listener = _traceListener;
            if (listener != null && _procedureCount > 0)
            {
                listener.ProcedureBytes(_procedureBytes, 0, _procedureCount);
            }
            _procedureCount = 0;
        }

        private int Procedure(int ins, byte[] data, int dataOffset, int outgoing, int incoming, byte[] response, int responseOffset, int responseCapacity)
        {
            int sent = 0;
            int received = 0;
            long wwt = _timing.WwtCycles;
            while (true)
            {
                if (_abort != 0)
                {
                    return TransmissionError.Aborted;
                }
                int c = ReceiveCharacter(wwt);
                if (c < 0)
                {
                    return c;
                }
                NoteProcedureByte(c);
                if (c == 0x60)
                {
                    ICardWaitListener? listener = _waitListener;
                    if (listener != null)
                    {
                        listener.CardWaiting(0, wwt);
                    }
                    continue;
                }
                bool all = c == ins;
                bool one = c == (ins ^ 0xFF);
                if (all || one)
                {
                    int remaining = outgoing > 0 ? outgoing - sent : incoming - received;
                    if (remaining <= 0)
                    {
                        return TransmissionError.ProcedureByteConflict;
                    }
                    int count = all ? remaining : 1;
                    if (outgoing > 0)
                    {
                        _timing.TurnAround(_line, 0);
                        _line.Send(data, dataOffset + sent, count);
                        sent += count;
                    }
                    else
                    {
                        for (int i = 0; i < count; i++)
                        {
                            if (received >= responseCapacity - 2)
                            {
                                return TransmissionError.Overrun;
                            }
                            c = ReceiveCharacter(wwt);
                            if (c < 0)
                            {
                                return c;
                            }
                            response[responseOffset + received] = (byte)c;
                            received++;
                        }
                    }
                    continue;
                }
                if (StatusWord.IsValidSw1(c))
                {
                    int sw2 = ReceiveCharacter(wwt);
                    if (sw2 < 0)
                    {
                        return sw2;
                    }
                    response[responseOffset + received] = (byte)c;
                    response[responseOffset + received + 1] = (byte)sw2;
                    return received + 2;
                }
                return TransmissionError.ProcedureByteConflict;
            }
        }

        private int ReceiveCharacter(long timeout)
        {
            int c = _line.Receive(timeout);
            if (c < 0)
            {
                return c == LineStatus.NoCard ? TransmissionError.CardRemoved : TransmissionError.Mute;
            }
            _timing.CardLastSpokeAt = _line.Now;
            if ((c & LineStatus.ParityError) != 0)
            {
                return TransmissionError.ParityError;
            }
            return c & 0xFF;
        }

        /// <summary>
        /// Transmits a command APDU of any case, short or extended (ISO/IEC 7816-3 §12.2): case 1 with
        /// P3 = 00; case 2 with P3 = Le and a re-issue on 6Cxx; case 3 as is, or in ENVELOPE commands
        /// when Nc &gt; 255; case 4 as case 3 then GET RESPONSE. 61xx is followed by GET RESPONSE while
        /// Ne and the buffer allow, concatenating the data (chains beyond 256 bytes). Writes response data
        /// and SW1 SW2 at <paramref name="responseOffset"/>; returns their length or a <see cref="TransmissionError"/>.
        /// </summary>
        public int TransmitApdu(byte[] apdu, int offset, int length, byte[] response, int responseOffset, int responseCapacity)
        {
            if (_apdu.Parse(apdu, offset, length) != ApduError.None)
            {
                return TransmissionError.BadCommand;
            }
            if (response == null || responseOffset < 0 || responseCapacity < 2 || responseOffset > response.Length - responseCapacity)
            {
                return TransmissionError.Overrun;
            }
            byte cla = _apdu.Cla;
            int ne = _apdu.Ne;
            int r;
            switch (_apdu.Case)
            {
                case ApduCase.Case1:
                    Header(cla, _apdu.Ins, _apdu.P1, _apdu.P2, 0);
                    return TransmitTpdu(_tpdu, 0, 5, response, responseOffset, responseCapacity);

                case ApduCase.Case2:
                    Header(cla, _apdu.Ins, _apdu.P1, _apdu.P2, ne >= 256 ? 0 : ne);
                    r = Incoming(response, responseOffset, responseCapacity);
                    return FollowUp(cla, r, ne, response, responseOffset, responseCapacity);

                default:
                    if (_apdu.Nc <= 255)
                    {
                        Header(cla, _apdu.Ins, _apdu.P1, _apdu.P2, _apdu.Nc);
                        System.Array.Copy(apdu, _apdu.DataOffset, _tpdu, 5, _apdu.Nc);
                        r = TransmitTpdu(_tpdu, 0, 5 + _apdu.Nc, response, responseOffset, responseCapacity);
                    }
                    else
                    {
                        r = Envelope(cla, apdu, offset, length, response, responseOffset, responseCapacity);
                    }
                    if (_apdu.Case == ApduCase.Case3 || r < 0)
                    {
                        return r;
                    }
                    // Case 4: the response comes through GET RESPONSE (§12.2.5); 6Cxx here means
                    // the data are ready but Le must be xx, which only GET RESPONSE can carry.
                    if (StatusWord.IsWrongLe(StatusWord.Of(response, responseOffset, r)))
                    {
                        int xx = StatusWord.Remaining(StatusWord.Of(response, responseOffset, r));
                        Header(GetResponseCla(cla), InsGetResponse, 0, 0, xx & 0xFF);
                        r = Incoming(response, responseOffset, responseCapacity);
                    }
                    return FollowUp(cla, r, ne, response, responseOffset, responseCapacity);
            }
        }

        // Sends the 5-byte header in _tpdu expecting data from the card; re-issues once on 6Cxx with P3 = xx.
        private int Incoming(byte[] response, int responseOffset, int responseCapacity)
        {
            int r = TransmitTpdu(_tpdu, 0, 5, response, responseOffset, responseCapacity);
            for (int i = 0; i < 2 && r == 2 && StatusWord.IsWrongLe(StatusWord.Of(response, responseOffset, 2)); i++)
            {
                _tpdu[4] = response[responseOffset + 1];
                r = TransmitTpdu(_tpdu, 0, 5, response, responseOffset, responseCapacity);
            }
            return r;
        }

        // Follows 61xx with GET RESPONSE while the caller wants more (Ne) and has room; data accumulate after the
        // data already in the response, and each new SW1 SW2 replaces the previous one.
        private int FollowUp(byte cla, int r, int ne, byte[] response, int responseOffset, int responseCapacity)
        {
            if (r < 2)
            {
                return r < 0 ? r : TransmissionError.ProtocolError;
            }
            int data = r - 2;
            for (int i = 0; i < MaxFollowUps; i++)
            {
                int sw = StatusWord.Of(response, responseOffset + data, 2);
                if (!StatusWord.HasMoreData(sw))
                {
                    break;
                }
                int want = StatusWord.Remaining(sw);
                int room = responseCapacity - 2 - data;
                int left = ne - data;
                if (ne == 0)
                {
                    left = room;
                }
                if (want > left)
                {
                    want = left;
                }
                if (want > room)
                {
                    want = room;
                }
                if (want <= 0)
                {
                    break;
                }
                Header(GetResponseCla(cla), InsGetResponse, 0, 0, want >= 256 ? 0 : want);
                r = Incoming(response, responseOffset + data, responseCapacity - data);
                if (r < 0)
                {
                    return r;
                }
                data += r - 2;
            }
            return data + 2;
        }

        // Sends a whole (extended) command APDU in ENVELOPE commands of at most 255 bytes (§12.2.7, 7816-4 ENVELOPE).
        private int Envelope(byte cla, byte[] apdu, int offset, int length, byte[] response, int responseOffset, int responseCapacity)
        {
            int sent = 0;
            int r = TransmissionError.BadCommand;
            while (sent < length)
            {
                int chunk = length - sent;
                if (chunk > 255)
                {
                    chunk = 255;
                }
                Header(cla, InsEnvelope, 0, 0, chunk);
                System.Array.Copy(apdu, offset + sent, _tpdu, 5, chunk);
                r = TransmitTpdu(_tpdu, 0, 5 + chunk, response, responseOffset, responseCapacity);
                if (r < 0)
                {
                    return r;
                }
                sent += chunk;
                int sw = StatusWord.Of(response, responseOffset, r);
                if (sent < length && sw != StatusWord.Success)
                {
                    return r;
                }
            }
            return r;
        }

        /// <summary>
        /// The class byte of the GET RESPONSE that follows a command of class <paramref name="cla"/>: the
        /// command's logical channel without its chaining and secure messaging bits (first interindustry
        /// class: b2-b1; further interindustry: b7 and b4-b1); a proprietary class (b8 = 1, e.g. A0 of
        /// GSM cards) is kept as is.
        /// </summary>
        public static byte GetResponseCla(byte cla)
        {
            if ((cla & 0x80) != 0)
            {
                return cla;
            }
            return (cla & 0x40) != 0 ? (byte)(cla & 0x4F) : (byte)(cla & 0x03);
        }

        private void Header(byte cla, byte ins, byte p1, byte p2, int p3)
        {
            _tpdu[0] = cla;
            _tpdu[1] = ins;
            _tpdu[2] = p1;
            _tpdu[3] = p2;
            _tpdu[4] = (byte)p3;
        }
    }
}
