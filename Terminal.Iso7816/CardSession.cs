namespace Terminal.Iso7816
{
    /// <summary>
    /// One card's session on one line, for the slot manager: activation and ATR, protocol choice, PPS
    /// with fallback (a refused or failed PPS deactivates the card and activates it again at Fd/Dd),
    /// the line configured for the protocol, and the exchanges at APDU or TPDU level. Owns every engine
    /// object of the slot; create one per slot and reuse it.
    /// </summary>
    public sealed class CardSession
    {
        private readonly ICardLine _line;
        private readonly Atr _atr = new Atr();
        private readonly Timing _timing = new Timing();
        private readonly AtrReader _reader;
        private readonly Pps _pps;
        private readonly T0Protocol _t0;
        private readonly T1Protocol _t1;
        private VoltageClass _vcc = VoltageClass.None;
        private int _protocol = -1;
        private int _maxBitRate = 10753;
        private bool _ppsFellBack;
        private bool _negotiateIfsd;

        /// <summary>A session on <paramref name="line"/>, inactive until <see cref="PowerOn"/>.</summary>
        public CardSession(ICardLine line)
        {
            _line = line;
            _reader = new AtrReader(line, _timing);
            _pps = new Pps(line, _timing);
            _t0 = new T0Protocol(line, _timing);
            _t1 = new T1Protocol(line, _timing);
        }

        /// <summary>The card's ATR (valid after a successful <see cref="PowerOn"/> or <see cref="WarmReset"/>).</summary>
        public Atr Atr
        {
            get { return _atr; }
        }

        /// <summary>The timing in force.</summary>
        public Timing Timing
        {
            get { return _timing; }
        }

        /// <summary>Activation and ATR reception.</summary>
        public AtrReader Reader
        {
            get { return _reader; }
        }

        /// <summary>PPS (also for a host-built PPS: <see cref="Pps.TransmitRaw"/>).</summary>
        public Pps Pps
        {
            get { return _pps; }
        }

        /// <summary>T=0 (TPDU and APDU levels).</summary>
        public T0Protocol T0
        {
            get { return _t0; }
        }

        /// <summary>T=1 at the APDU level.</summary>
        public T1Protocol T1
        {
            get { return _t1; }
        }

        /// <summary>T=1 block transport (TPDU level: the host runs the protocol).</summary>
        public T1Transport T1Transport
        {
            get { return _t1.Transport; }
        }

        /// <summary>The protocol in force (0 or 1), or -1 when the card is not active.</summary>
        public int Protocol
        {
            get { return _protocol; }
        }

        /// <summary>True between a successful activation and <see cref="PowerOff"/> (or a deactivation by T=1 recovery).</summary>
        public bool IsActive
        {
            get { return _protocol >= 0 && !(_protocol == 1 && _t1.IsDeactivated); }
        }

        /// <summary>True when the last activation's PPS failed and the card was reset to run at Fd/Dd.</summary>
        public bool PpsFellBack
        {
            get { return _ppsFellBack; }
        }

        /// <summary>
        /// When true, a T=1 activation ends with S(IFS request) for IFSD 254 (APDU level: the reader runs
        /// T=1). Leave false at the TPDU level, where the host sends its own. A refusal keeps IFSD 32.
        /// </summary>
        public bool NegotiateIfsd
        {
            get { return _negotiateIfsd; }
            set { _negotiateIfsd = value; }
        }

        /// <summary>Told about every ATR, PPS and T=0 procedure byte on the line (a trace), or null.</summary>
        public ICardTraceListener? TraceListener
        {
            set
            {
                _reader.TraceListener = value;
                _pps.TraceListener = value;
                _t0.TraceListener = value;
            }
        }

        /// <summary>Told about T=0 NULL bytes and T=1 WTX requests.</summary>
        public ICardWaitListener? WaitListener
        {
            set
            {
                _t0.WaitListener = value;
                _t1.WaitListener = value;
            }
        }

        /// <summary>
        /// Cold reset with <paramref name="voltageClass"/>, ATR, then the protocol: in specific mode the
        /// TA2 protocol at TA1's rate (unless implicit); otherwise the first protocol offered, and with
        /// <paramref name="autoPps"/> a PPS to the rate <see cref="SpeedPolicy"/> picks within
        /// <paramref name="maxBitRate"/>; a failed PPS deactivates and activates again without PPS.
        /// Returns the ATR length or a <see cref="TransmissionError"/> (the card is then inactive).
        /// </summary>
        public int PowerOn(VoltageClass voltageClass, int maxBitRate, bool autoPps)
        {
            _vcc = voltageClass;
            _maxBitRate = maxBitRate;
            _protocol = -1;
            _ppsFellBack = false;
            int r = _reader.ColdReset(voltageClass, _atr);
            if (r < 0)
            {
                return r;
            }
            return Start(autoPps, true);
        }

        /// <summary>Warm reset, ATR, and the same protocol set-up as <see cref="PowerOn"/>.</summary>
        public int WarmReset(bool autoPps)
        {
            _protocol = -1;
            _ppsFellBack = false;
            int r = _reader.WarmReset(_atr);
            if (r < 0)
            {
                return r;
            }
            return Start(autoPps, true);
        }

        /// <summary>Deactivates the contacts (§6.4).</summary>
        public void PowerOff()
        {
            _reader.Deactivate();
            _protocol = -1;
        }

        private int Start(bool autoPps, bool mayRetry)
        {
            _timing.SetFromAtr(_atr);
            int protocol = _atr.DefaultProtocol;
            if (protocol != 0 && protocol != 1)
            {
                // A card offering only protocols this engine does not run (T=2..14).
                protocol = _atr.Offers(0) ? 0 : (_atr.Offers(1) ? 1 : -1);
                if (protocol < 0 || _atr.SpecificMode)
                {
                    _reader.Deactivate();
                    return TransmissionError.ProtocolNotSupported;
                }
            }
            int fi = Timing.DefaultFi;
            int di = Timing.DefaultDi;
            if (_atr.SpecificMode)
            {
                if (!_atr.ImplicitParameters && _atr.HasTa1 && _atr.Fi > 0 && _atr.Di > 0)
                {
                    fi = _atr.Fi;
                    di = _atr.Di;
                }
            }
            else if (autoPps)
            {
                int fiIndex;
                int diIndex;
                if (SpeedPolicy.Choose(_atr, _line.ClockHz, _maxBitRate, out fiIndex, out diIndex))
                {
                    _line.Configure(_atr.Convention, Timing.DefaultFi, Timing.DefaultDi, _timing.GuardTimeEtu(0), false);
                    int r = _pps.Negotiate(_atr.Convention, protocol, fiIndex, diIndex);
                    if (r == Pps.AcceptedNewRate)
                    {
                        fi = RateTables.Fi(fiIndex);
                        di = RateTables.Di(diIndex);
                    }
                    else if (r != Pps.AcceptedDefaultRate)
                    {
                        if (r == TransmissionError.CardRemoved || !mayRetry)
                        {
                            _reader.Deactivate();
                            return r;
                        }
                        // §9.3: a failed PPS leaves the card undefined: deactivate, activate again, stay at Fd/Dd.
                        _ppsFellBack = true;
                        _reader.Deactivate();
                        int again = _reader.ColdReset(_vcc, _atr);
                        if (again < 0)
                        {
                            return again;
                        }
                        return Start(false, false);
                    }
                }
            }
            SetRate(protocol, fi, di);
            if (protocol == 1 && _negotiateIfsd)
            {
                int r = _t1.NegotiateIfsd(T1Protocol.DefaultIfsd);
                if (r == TransmissionError.CardRemoved || r == TransmissionError.Deactivated)
                {
                    _protocol = -1;
                    return r;
                }
            }
            return _atr.Length;
        }

        private void SetRate(int protocol, int fi, int di)
        {
            _timing.SetRate(fi, di);
            _line.Configure(_atr.Convention, fi, di, _timing.GuardTimeEtu(protocol), protocol == 0);
            _protocol = protocol;
            if (protocol == 1)
            {
                _t1.Reset(_atr);
            }
            _t0.ClearAbort();
            _t1.ClearAbort();
        }

        /// <summary>
        /// CCID SetParameters: takes the protocol and its parameters as the host gives them and configures
        /// the timing and the line (T=1: IFSC, EDC, sequence numbers reset). Returns 0, or
        /// <see cref="TransmissionError.NotActive"/> / <see cref="TransmissionError.BadCommand"/>.
        /// </summary>
        public int SetParameters(int protocol, int fiIndex, int diIndex, Convention convention, int n, int wi, int bwi, int cwi, bool crc, int ifsc)
        {
            if (_protocol < 0)
            {
                return TransmissionError.NotActive;
            }
            int fi = RateTables.Fi(fiIndex);
            int di = RateTables.Di(diIndex);
            if ((protocol != 0 && protocol != 1) || fi == 0 || di == 0)
            {
                return TransmissionError.BadCommand;
            }
            _timing.SetParameters(n, wi, cwi, bwi);
            _timing.SetRate(fi, di);
            _line.Configure(convention, fi, di, _timing.GuardTimeEtu(protocol), protocol == 0);
            _protocol = protocol;
            if (protocol == 1)
            {
                _t1.Reset(ifsc, crc);
            }
            return 0;
        }

        /// <summary>An APDU exchange in the protocol in force (T=0 with GET RESPONSE/ENVELOPE handling, or T=1 blocks).</summary>
        public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseCapacity)
        {
            if (!IsActive)
            {
                return TransmissionError.NotActive;
            }
            if (_protocol == 0)
            {
                return _t0.TransmitApdu(command, offset, length, response, responseOffset, responseCapacity);
            }
            int r = _t1.Transmit(command, offset, length, response, responseOffset, responseCapacity);
            if (r == TransmissionError.Deactivated)
            {
                _protocol = -1;
            }
            return r;
        }

        /// <summary>Asks the exchange in progress to end with <see cref="TransmissionError.Aborted"/> (CCID Abort).</summary>
        public void RequestAbort()
        {
            _t0.RequestAbort();
            _t1.RequestAbort();
        }
    }
}
