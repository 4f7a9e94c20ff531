namespace Terminal.Iso7816
{
    /// <summary>
    /// Protocol and parameters selection (ISO/IEC 7816-3 §9): the request PPSS PPS0 [PPS1] PCK, the
    /// response check (an echo accepts the new Fi/Di; PPS1 absent accepts the protocol at Fd/Dd; anything
    /// else is a failure, after which the card must be reset and used at default), and the raw exchange of
    /// a PPS built by the host (CCID TPDU profiles pass it inside an XfrBlock).
    /// </summary>
    public sealed class Pps
    {
        /// <summary>PPSS, the initial character of every PPS message.</summary>
        public const byte Ppss = 0xFF;

        /// <summary>Result of <see cref="Negotiate"/>: accepted, the new Fi/Di are in force.</summary>
        public const int AcceptedNewRate = 1;

        /// <summary>Result of <see cref="Negotiate"/>: the protocol accepted at the default Fd/Dd (PPS1 absent in the response).</summary>
        public const int AcceptedDefaultRate = 0;

        /// <summary>Longest PPS message: PPSS, PPS0, PPS1, PPS2, PPS3, PCK.</summary>
        public const int MaxLength = 6;

        private readonly ICardLine _line;
        private readonly Timing _timing;
        private ICardTraceListener? _traceListener;
        private readonly byte[] _request = new byte[MaxLength];
        private readonly byte[] _response = new byte[MaxLength];
        private int _responseLength;

        /// <summary>PPS on <paramref name="line"/>; <paramref name="timing"/> receives the new rate on success.</summary>
        public Pps(ICardLine line, Timing timing)
        {
            _line = line;
            _timing = timing;
        }

        /// <summary>The last response read by <see cref="Negotiate"/> (valid up to <see cref="ResponseLength"/>).</summary>
        public byte[] LastResponse
        {
            get { return _response; }
        }

        /// <summary>Length of <see cref="LastResponse"/>.</summary>
        public int ResponseLength
        {
            get { return _responseLength; }
        }

        /// <summary>
        /// Writes PPSS, PPS0 (protocol, PPS1 present), PPS1 (Fi and Di indices) and PCK at
        /// <paramref name="offset"/>; returns 4, or <see cref="TransmissionError.BadCommand"/> for values out of range.
        /// </summary>
        public static int BuildRequest(int protocol, int fiIndex, int diIndex, byte[] buffer, int offset)
        {
            if (protocol < 0 || protocol > 14 || fiIndex < 0 || fiIndex > 15 || diIndex < 0 || diIndex > 15 || buffer == null || offset < 0 || offset > buffer.Length - 4)
            {
                return TransmissionError.BadCommand;
            }
            buffer[offset] = Ppss;
            buffer[offset + 1] = (byte)(0x10 | protocol);
            buffer[offset + 2] = (byte)((fiIndex << 4) | diIndex);
            buffer[offset + 3] = (byte)(Ppss ^ buffer[offset + 1] ^ buffer[offset + 2]);
            return 4;
        }

        /// <summary>Length of a PPS message from its PPS0 (PPSS, PPS0, the PPS1-3 its bits 5-7 announce, PCK).</summary>
        public static int MessageLength(int pps0)
        {
            return 3 + ((pps0 >> 4) & 1) + ((pps0 >> 5) & 1) + ((pps0 >> 6) & 1);
        }

        /// <summary>
        /// Checks a response against its request (§9.3): <see cref="AcceptedNewRate"/> when it echoes the
        /// request, <see cref="AcceptedDefaultRate"/> when it echoes PPSS and the protocol without PPS1,
        /// else <see cref="TransmissionError.PpsFailed"/> (bad PPSS, other protocol, PPS1 changed, an
        /// optional byte the request did not have, or a wrong PCK).
        /// </summary>
        public static int CheckResponse(byte[] request, int requestOffset, int requestLength, byte[] response, int responseOffset, int responseLength)
        {
            if (request == null || response == null || requestLength < 3 || responseLength < 3 || requestOffset < 0 || responseOffset < 0
                || requestOffset > request.Length - requestLength || responseOffset > response.Length - responseLength)
            {
                return TransmissionError.PpsFailed;
            }
            int rq0 = request[requestOffset + 1];
            int rs0 = response[responseOffset + 1];
            if (response[responseOffset] != Ppss || MessageLength(rs0) != responseLength || (rs0 & 0x0F) != (rq0 & 0x0F) || (rs0 & 0x80) != 0)
            {
                return TransmissionError.PpsFailed;
            }
            int x = 0;
            for (int i = 0; i < responseLength; i++)
            {
                x ^= response[responseOffset + i];
            }
            if (x != 0)
            {
                return TransmissionError.PpsFailed;
            }
            // Each optional byte of the response must be one the request had, with the same value (PPS2, PPS3 are echoed or absent).
            int rqPos = requestOffset + 2;
            int rsPos = responseOffset + 2;
            bool newRate = false;
            for (int bit = 4; bit <= 6; bit++)
            {
                bool inRequest = (rq0 & (1 << bit)) != 0;
                bool inResponse = (rs0 & (1 << bit)) != 0;
                if (inResponse && !inRequest)
                {
                    return TransmissionError.PpsFailed;
                }
                if (inResponse)
                {
                    if (response[rsPos] != request[rqPos])
                    {
                        return TransmissionError.PpsFailed;
                    }
                    if (bit == 4)
                    {
                        newRate = true;
                    }
                }
                if (inRequest)
                {
                    rqPos++;
                }
                if (inResponse)
                {
                    rsPos++;
                }
            }
            return newRate ? AcceptedNewRate : AcceptedDefaultRate;
        }

        /// <summary>
        /// Runs PPS for <paramref name="protocol"/> at Fi/Di of the given TA1 indices. On
        /// <see cref="AcceptedNewRate"/> the timing and the line take the new rate at once (with the
        /// protocol's guard time and error signal). Returns <see cref="AcceptedNewRate"/>,
        /// <see cref="AcceptedDefaultRate"/> or a <see cref="TransmissionError"/> (PpsFailed, Mute,
        /// ParityError, CardRemoved): then deactivate and reset the card, and keep the default rate.
        /// </summary>
        public int Negotiate(Convention convention, int protocol, int fiIndex, int diIndex)
        {
            int fi = RateTables.Fi(fiIndex);
            int di = RateTables.Di(diIndex);
            if (fi == 0 || di == 0)
            {
                return TransmissionError.BadCommand;
            }
            int n = BuildRequest(protocol, fiIndex, diIndex, _request, 0);
            if (n < 0)
            {
                return n;
            }
            int r = TransmitRaw(_request, 0, n, _response, 0);
            if (r < 0)
            {
                _responseLength = 0;
                return r;
            }
            _responseLength = r;
            int check = CheckResponse(_request, 0, n, _response, 0, r);
            if (check == AcceptedNewRate)
            {
                _timing.SetRate(fi, di);
                _line.Configure(convention, fi, di, _timing.GuardTimeEtu(protocol), protocol == 0);
            }
            return check;
        }

        /// <summary>
        /// Sends a PPS request as given and reads the response, whose length comes from its PPS0; each
        /// character within the initial waiting time. Returns the response length (write at
        /// <paramref name="responseOffset"/>, at most 6 bytes) or a <see cref="TransmissionError"/>.
        /// </summary>
        public int TransmitRaw(byte[] request, int offset, int length, byte[] response, int responseOffset)
        {
            if (request == null || offset < 0 || length < 3 || length > MaxLength || offset > request.Length - length || request[offset] != Ppss)
            {
                return TransmissionError.BadCommand;
            }
            if (response == null || responseOffset < 0 || responseOffset > response.Length - MaxLength)
            {
                return TransmissionError.Overrun;
            }
            _timing.TurnAround(_line, 0);
            ICardTraceListener? listener = _traceListener;
            if (listener != null)
            {
                listener.PpsExchanged(false, request, offset, length);
            }
            _line.Send(request, offset, length);
            int expected = 2;
            int count = 0;
            while (count < expected)
            {
                int c = _line.Receive(Timing.InitialWaitingCycles);
                if (c < 0)
                {
                    Traced(listener, response, responseOffset, count);
                    return c == LineStatus.NoCard ? TransmissionError.CardRemoved : TransmissionError.Mute;
                }
                _timing.CardLastSpokeAt = _line.Now;
                if ((c & LineStatus.ParityError) != 0)
                {
                    Traced(listener, response, responseOffset, count);
                    return TransmissionError.ParityError;
                }
                response[responseOffset + count] = (byte)c;
                if (count == 1)
                {
                    expected = MessageLength(c);
                }
                count++;
            }
            Traced(listener, response, responseOffset, count);
            return count;
        }

        /// <summary>Told about every PPS request and response on the line (the reader's own and the host's), or null.</summary>
        public ICardTraceListener? TraceListener
        {
            get { return _traceListener; }
            set { _traceListener = value; }
        }

        private static void Traced(ICardTraceListener? listener, byte[] response, int offset, int count)
        {
            if (listener != null && count > 0)
            {
                listener.PpsExchanged(true, response, offset, count);
            }
        }
    }
}
