using Terminal.Boards;
using Terminal.Ccid;
using Terminal.Iso7816;

namespace Terminal.Slots
{
    /// <summary>
    /// One card slot: presence, activation with automatic class selection (ISO/IEC 7816-3 §6.2.4),
    /// ATR, automatic PPS when the profile wants the reader to do it (§9), the transmission protocol
    /// at TPDU or APDU level, deactivation, and the card-access LED while an exchange is in flight.
    /// Implements the CCID layer's <see cref="ICcidSlot"/>; every buffer is the caller's or its own,
    /// so an exchange allocates nothing.
    /// </summary>
    public sealed class CardSlot : ICcidSlot, ISlotExchange
    {
        // §6.2.4 automatic selection, lowest class first; one array for every power-on (a power-on allocates nothing).
        private static readonly VoltageClass[] AutomaticClassOrder = new VoltageClass[] { VoltageClass.C, VoltageClass.B, VoltageClass.A };

        private readonly int _index;
        private readonly ICardLine _line;
        private readonly IIndicators? _indicators;
        private readonly int _voltageSupport;
        private readonly int _maxBitRate;
        private readonly Atr _atr = new Atr();
        private readonly Timing _timing = new Timing();
        private readonly AtrReader _reader;
        private readonly T0Protocol _t0;
        private readonly T1Transport _t1Transport;
        private readonly T1Protocol _t1;
        private readonly Pps _pps;
        private bool _present;
        private int _changes;
        private bool _active;
        private bool _clockStopped;
        private int _protocol;
        private int _fiIndex = 1;
        private int _diIndex = 1;
        private int _negotiatedFi = 1;
        private int _negotiatedDi = 1;
        private int _ifsc = 32;
        private bool _crc;
        private int _nad;
        // At T=1 TPDU level, what to XOR into the host's sequence numbers to get the card's: for the
        // host's I-blocks (and the card's R-blocks that acknowledge them), and for the card's I-blocks
        // (and the host's R-blocks). They move when the reader answers a host block itself or talks to
        // the card between two host blocks.
        private int _t1SendOffset;
        private int _t1ReceiveOffset;
        private int _hostIfsd;
        private int _t1CardNs = 1;
        private int _ownHostNs = -1;
        private int _hostNextNs;
        private ISlotSessionListener? _sessionListener;
        private VoltageClass _class = VoltageClass.None;

        /// <summary>Creates slot <paramref name="index"/> over its card line.</summary>
        /// <param name="index">0 for the Carte Vitale slot, 1 for the CPx slot.</param>
        /// <param name="line">The slot's contacts.</param>
        /// <param name="indicators">The LEDs (the slot drives its card-access LED), or null.</param>
        /// <param name="voltageSupport">Classes the interface chip supplies (bits: 1 A, 2 B, 4 C).</param>
        /// <param name="maxBitRate">The fastest bit rate the card UART runs.</param>
        public CardSlot(int index, ICardLine line, IIndicators? indicators, int voltageSupport, int maxBitRate)
        {
            _index = index;
            _line = line;
            _indicators = indicators;
            _voltageSupport = voltageSupport;
            _maxBitRate = maxBitRate;
            _reader = new AtrReader(line, _timing);
            _t0 = new T0Protocol(line, _timing);
            _t1Transport = new T1Transport(line, _timing);
            _t1 = new T1Protocol(line, _timing);
            _pps = new Pps(line, _timing);
            _present = line.CardPresent;
        }

        /// <summary>
        /// Told about every ATR, PPS (the reader's own and the host's) and T=0 procedure byte on the
        /// slot's line, or null: the card trace shows them although no CCID message carries them.
        /// </summary>
        public ICardTraceListener? TraceListener
        {
            set
            {
                _reader.TraceListener = value;
                _pps.TraceListener = value;
                _t0.TraceListener = value;
            }
        }

        /// <summary>True when the reader negotiates PPS at power-on (sec1210, native USB); false when the host sends it (gempcpinpad).</summary>
        public bool ReaderDoesPps { get; set; } = true;

        /// <summary>True when the host exchanges whole APDUs (native USB): the slot then runs the T=1 protocol itself.</summary>
        public bool ApduLevel { get; set; }

        /// <summary>The slot's number on the board.</summary>
        public int Index => _index;

        /// <summary>The last ATR (valid while <see cref="IccStatus"/> is active).</summary>
        public Atr Atr => _atr;

        /// <summary>The protocol in force (0 or 1).</summary>
        public int Protocol => _protocol;

        /// <summary>True when the T=1 blocks end with a CRC (else an LRC).</summary>
        public bool UsesCrc => _crc;

        /// <summary>The timing in force (rate, waiting times).</summary>
        public Timing Timing => _timing;

        /// <inheritdoc/>
        public int IccStatus
        {
            get
            {
                UpdatePresence();
                if (!_present)
                {
                    return CcidStatus.IccAbsent;
                }
                return _active ? CcidStatus.IccActive : CcidStatus.IccInactive;
            }
        }

        /// <inheritdoc/>
        public int ClockStatus => _active && _clockStopped ? 1 : 0;

        /// <inheritdoc/>
        public int ChangeCount
        {
            get
            {
                UpdatePresence();
                return _changes;
            }
        }

        /// <summary>Reads the presence switch; a removal ends the session at once.</summary>
        public void UpdatePresence()
        {
            bool present = _line.CardPresent;
            if (present != _present)
            {
                _present = present;
                _changes++;
                if (!present && _active)
                {
                    _active = false;
                    _reader.Deactivate();
                }
                if (!present)
                {
                    SessionEnded();
                }
            }
        }

        /// <inheritdoc/>
        public int PowerOn(int voltage, byte[] atr, int offset, out int atrLength)
        {
            atrLength = 0;
            UpdatePresence();
            if (!_present)
            {
                return CcidError.IccMute;
            }
            if (_active)
            {
                Deactivate();
            }
            SessionEnded();
            int error = CcidError.IccMute;
            if (voltage == 0)
            {
                // §6.2.4: the lowest class first, then the next one up, guided by the class indicator.
                error = CcidError.IccClassNotSupported;
                VoltageClass[] order = AutomaticClassOrder;
                bool tried = false;
                for (int i = 0; i < order.Length; i++)
                {
                    if ((_voltageSupport & ClassBit(order[i])) == 0)
                    {
                        continue;
                    }
                    if (tried)
                    {
                        // At least 10 ms deactivated before the next class (§6.2.4).
                        _line.Wait(_line.ClockHz / 100);
                    }
                    tried = true;
                    error = Activate(order[i]);
                    if (error == CcidError.None)
                    {
                        if (_atr.HasClassIndicator && (_atr.ClassMask & ClassBit(order[i])) == 0)
                        {
                            // The card says it does not work at this class: off, and the next one up.
                            Deactivate();
                            error = CcidError.IccClassNotSupported;
                            continue;
                        }
                        break;
                    }
                    if (!_line.CardPresent)
                    {
                        break;
                    }
                }
            }
            else
            {
                VoltageClass wanted = voltage == 1 ? VoltageClass.A : (voltage == 2 ? VoltageClass.B : VoltageClass.C);
                if ((_voltageSupport & ClassBit(wanted)) == 0)
                {
                    return CcidError.IccClassNotSupported;
                }
                error = Activate(wanted);
            }
            if (error != CcidError.None)
            {
                UpdatePresence();
                return error;
            }
            error = StartProtocol();
            if (error != CcidError.None)
            {
                Deactivate();
                return error;
            }
            System.Array.Copy(_atr.Bytes, 0, atr, offset, _atr.Length);
            atrLength = _atr.Length;
            return CcidError.None;
        }

        private int Activate(VoltageClass voltageClass)
        {
            SetAccess(true);
            int n = _reader.ColdReset(voltageClass, _atr);
            SetAccess(false);
            if (n < 0)
            {
                _active = false;
                return MapError(n);
            }
            if (!_atr.IsUsable)
            {
                _reader.Deactivate();
                return CcidError.HardwareError;
            }
            _class = voltageClass;
            _active = true;
            _clockStopped = false;
            return CcidError.None;
        }

        // After the ATR: the protocol, the rate (specific mode or PPS) and the line frame.
        private int StartProtocol()
        {
            int protocol = _atr.SpecificMode ? _atr.SpecificProtocol : _atr.DefaultProtocol;
            if (protocol != 0 && protocol != 1)
            {
                if (_atr.Offers(0))
                {
                    protocol = 0;
                }
                else if (_atr.Offers(1))
                {
                    protocol = 1;
                }
                else
                {
                    return CcidError.IccProtocolNotSupported;
                }
            }
            _protocol = protocol;
            _timing.SetFromAtr(_atr);
            _fiIndex = 1;
            _diIndex = 1;
            _crc = _atr.UsesCrc;
            _ifsc = _atr.Ifsc > 0 ? _atr.Ifsc : 32;
            _nad = 0;
            _t1SendOffset = 0;
            _t1ReceiveOffset = 0;
            _t1CardNs = 1;
            _ownHostNs = -1;
            _hostNextNs = 0;
            _hostIfsd = 0;
            if (_atr.SpecificMode && !_atr.ImplicitParameters && _atr.HasTa1)
            {
                _fiIndex = _atr.FiIndex;
                _diIndex = _atr.DiIndex;
            }
            else if (ReaderDoesPps && !_atr.SpecificMode)
            {
                int fi;
                int di;
                if (SpeedPolicy.Choose(_atr, _line.ClockHz, _maxBitRate, out fi, out di))
                {
                    SetAccess(true);
                    // 16 ETU between the ATR's last leading edge and the PPS request's first (§7.2).
                    _line.Wait(_timing.TurnaroundWaitCycles(0));
                    int r = _pps.Negotiate(_atr.Convention, protocol, fi, di);
                    SetAccess(false);
                    if (r == 1)
                    {
                        _fiIndex = fi;
                        _diIndex = di;
                    }
                    else if (r < 0)
                    {
                        // A failed PPS leaves the card undefined: reset it and stay at the default rate.
                        VoltageClass cls = _class;
                        Deactivate();
                        int again = Activate(cls);
                        if (again != CcidError.None)
                        {
                            return again;
                        }
                        _timing.SetFromAtr(_atr);
                    }
                }
            }
            _negotiatedFi = _fiIndex;
            _negotiatedDi = _diIndex;
            ApplyFrame();
            if (_protocol == 1)
            {
                _t1.Reset(_atr);
                if (ApduLevel)
                {
                    // At APDU level the reader owns the T=1 session: IFSD 254 first (§11.4.2); a card
                    // that refuses keeps the default 32, which only costs speed. A card pulled out (or an
                    // abort) during the exchange is a failed power-on, not a card ready at 32: the host
                    // must not get an ATR for a card that is gone (CCID §6.2.6, ICC_MUTE, ICC absent).
                    SetAccess(true);
                    int ifs = _t1.NegotiateIfsd(T1Protocol.DefaultIfsd);
                    SetAccess(false);
                    if (ifs < 0 && ifs != TransmissionError.ProtocolError)
                    {
                        return MapError(ifs);
                    }
                }
            }
            return CcidError.None;
        }

        private void ApplyFrame()
        {
            _timing.SetRate(RateTables.Fi(_fiIndex), RateTables.Di(_diIndex));
            _line.Configure(_atr.Convention, _timing.Fi, _timing.Di, _timing.GuardTimeEtu(_protocol), _protocol == 0);
            _t1Transport.UsesCrc = _crc;
        }

        /// <inheritdoc/>
        public void PowerOff()
        {
            UpdatePresence();
            if (_active)
            {
                Deactivate();
            }
        }

        private void Deactivate()
        {
            SessionEnded();
            _reader.Deactivate();
            _active = false;
            _clockStopped = false;
        }

        /// <inheritdoc/>
        public int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            responseLength = 0;
            int ready = Ready();
            if (ready != CcidError.None)
            {
                return ready;
            }
            SetAccess(true);
            int n;
            if (command[offset] == 0xFF && !ReaderDoesPps && length >= 3 && length <= 6)
            {
                // The host's PPS request (gempcpinpad): exchanged as is; the new rate comes with SetParameters.
                _line.Wait(_timing.TurnaroundWaitCycles(0));
                n = _pps.TransmitRaw(command, offset, length, response, responseOffset);
            }
            else if (_protocol == 0)
            {
                n = _t0.TransmitTpdu(command, offset, length, response, responseOffset, responseMax);
            }
            else
            {
                n = ExchangeBlock(command, offset, length, response, responseOffset, responseMax);
            }
            SetAccess(false);
            if (n < 0)
            {
                return MapError(n);
            }
            responseLength = n;
            return CcidError.None;
        }

        // T=1 at TPDU level: the host built the block; the reader sends it and reads one block back
        // (LEN and EDC tell where it ends), under BWT for the first character and CWT after.
        private int ExchangeBlock(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax)
        {
            if (length >= 4 && command[offset + 1] == 0xE3 && command[offset + 2] == 1)
            {
                // S(WTX response): the card gets the multiplied BWT for its next block.
                _t1Transport.WtxMultiplier = command[offset + 3];
            }
            byte hostPcb = command[offset + 1];
            if ((hostPcb & 0x80) == 0)
            {
                _hostNextNs = ((hostPcb >> 6) & 1) ^ 1;
            }
            else if (hostPcb == 0xC1 && length >= 4 && command[offset + 2] == 1 && command[offset + 3] >= 1 && command[offset + 3] <= 254)
            {
                _hostIfsd = command[offset + 3];
            }
            TranslateSequence(command, offset, length, _t1SendOffset, _t1ReceiveOffset);
            int sent = _t1Transport.SendBlock(command, offset, length);
            // The host's buffer is given back as it came.
            TranslateSequence(command, offset, length, _t1SendOffset, _t1ReceiveOffset);
            if (sent < 0)
            {
                return sent;
            }
            int n = _t1Transport.ReceiveBlock(response, responseOffset, responseMax);
            if (n >= 3)
            {
                byte pcb = response[responseOffset + 1];
                if (hostPcb == 0xC0 && pcb == 0xE0)
                {
                    // S(RESYNCH response): both sides start again from sequence 0.
                    _t1SendOffset = 0;
                    _t1ReceiveOffset = 0;
                    _t1CardNs = 1;
                    _hostNextNs = 0;
                }
                else
                {
                    TranslateSequence(response, responseOffset, n, _t1ReceiveOffset, _t1SendOffset);
                    pcb = response[responseOffset + 1];
                    if ((pcb & 0x80) == 0)
                    {
                        _t1CardNs = (pcb >> 6) & 1;
                    }
                }
            }
            return n;
        }

        /// <summary>
        /// For an I-block the reader answers itself (a pseudo-APDU, a refused clear PIN) in place of the
        /// card, at T=1 TPDU level: returns the PCB of that answer, N(S) the one the host expects from
        /// the card, and from then on translates the sequence numbers of the blocks relayed both ways,
        /// since the host's count moved one step and the card's did not.
        /// </summary>
        public byte TakeReaderAnswerPcb()
        {
            _hostNextNs ^= 1;
            _t1CardNs ^= 1;
            _t1SendOffset ^= 1;
            _t1ReceiveOffset ^= 1;
            return (byte)(_t1CardNs << 6);
        }

        /// <summary>
        /// For each I-block after the first of a chained answer the reader sends the host itself
        /// (<see cref="T1AnswerChain"/>): returns its PCB (N(S) the one the host expects next, M bit when
        /// <paramref name="more"/>) and moves the translation one step, since the host saw one more I-block from
        /// the card than the card sent and its own count did not move (it answered with an R-block).
        /// </summary>
        public byte TakeChainedAnswerPcb(bool more)
        {
            _t1CardNs ^= 1;
            _t1ReceiveOffset ^= 1;
            return (byte)((_t1CardNs << 6) | (more ? 0x20 : 0));
        }

        /// <summary>
        /// For a chained host I-block of PCB <paramref name="hostPcb"/> the reader acknowledges itself
        /// (<see cref="T1CommandChain"/>): the host's count moved one step, the card's did not, so the
        /// translation of the host's N(S) moves too.
        /// </summary>
        public void AbsorbHostBlock(byte hostPcb)
        {
            _hostNextNs = ((hostPcb >> 6) & 1) ^ 1;
            _t1SendOffset ^= 1;
        }

        /// <summary>
        /// The IFSD the host announced to the card in its last S(IFS request) at T=1 TPDU level (ISO/IEC 7816-3
        /// §11.4.2), or 254 when it sent none in this card session (what libccid negotiates).
        /// </summary>
        public int HostIfsd
        {
            get { return _hostIfsd > 0 ? _hostIfsd : 254; }
        }

        /// <summary>
        /// Lets the reader exchange whole APDUs with the card itself (<see cref="TransmitApdu"/>) at T=1 TPDU level
        /// (PACE, secure messaging), while it answers the host's I-block of PCB <paramref name="hostPcb"/> (or, with
        /// -1, between two host blocks: a PC_to_RDR_Secure): the reader's T=1 session takes over the card's sequence
        /// numbers. Close with <see cref="EndReaderExchanges"/>. No effect at APDU level or in T=0.
        /// </summary>
        public void BeginReaderExchanges(int hostPcb)
        {
            if (_protocol != 1 || ApduLevel)
            {
                return;
            }
            int hostNs = hostPcb < 0 ? _hostNextNs : (hostPcb >> 6) & 1;
            _ownHostNs = hostPcb < 0 ? 2 : hostNs;
            _t1.UsesCrc = _crc;
            _t1.Resume(hostNs ^ _t1SendOffset, (_t1CardNs ^ 1) ^ _t1ReceiveOffset, _ifsc);
        }

        /// <summary>
        /// Ends what <see cref="BeginReaderExchanges"/> began: returns the PCB of the reader's answer to the host's
        /// I-block (N(S) the one the host expects; 0 after a -1 begin, when no block answers) and sets the translation
        /// of the host's and the card's sequence numbers from what the reader's exchanges left.
        /// </summary>
        public byte EndReaderExchanges()
        {
            int own = _ownHostNs;
            if (own < 0)
            {
                LastReaderAnswerPcb = _protocol == 1 && !ApduLevel ? TakeReaderAnswerPcb() : (byte)0;
                return LastReaderAnswerPcb;
            }
            _ownHostNs = -1;
            if (own < 2)
            {
                // The reader's I-block answers the host's: both of the host's counts move one step.
                _hostNextNs = own ^ 1;
                _t1CardNs ^= 1;
            }
            _t1SendOffset = _hostNextNs ^ _t1.SendSequence;
            // The host saw the card's last I-block as _t1CardNs; the card's own last was ReceiveSequence ^ 1.
            _t1ReceiveOffset = _t1CardNs ^ _t1.ReceiveSequence ^ 1;
            LastReaderAnswerPcb = (byte)(_t1CardNs << 6);
            return LastReaderAnswerPcb;
        }

        /// <summary>What the last <see cref="EndReaderExchanges"/> returned.</summary>
        public byte LastReaderAnswerPcb { get; private set; }

        /// <summary>Told when the card session ends (power-off, removal, new power-on): the PACE channel ends with it.</summary>
        public ISlotSessionListener? SessionListener
        {
            get { return _sessionListener; }
            set { _sessionListener = value; }
        }

        private void SessionEnded()
        {
            _ownHostNs = -1;
            ISlotSessionListener? listener = _sessionListener;
            if (listener != null)
            {
                listener.SessionEnded(_index);
            }
        }

        /// <summary>Writes the T=1 EDC (LRC or CRC, as in force) after <paramref name="length"/> bytes of a block; returns the EDC's length.</summary>
        public int AppendEdc(byte[] block, int offset, int length)
        {
            T1Block.AppendEdc(block, offset, length, _crc);
            return T1Block.EdcLength(_crc);
        }

        // N(S) of an I-block XORed with iOffset or N(R) of an R-block with rOffset, the EDC written again.
        private void TranslateSequence(byte[] block, int offset, int length, int iOffset, int rOffset)
        {
            int edc = _crc ? 2 : 1;
            if (length < 3 + edc)
            {
                return;
            }
            byte pcb = block[offset + 1];
            if ((pcb & 0x80) == 0 && iOffset != 0)
            {
                block[offset + 1] = (byte)(pcb ^ 0x40);
            }
            else if ((pcb & 0xC0) == 0x80 && rOffset != 0)
            {
                block[offset + 1] = (byte)(pcb ^ 0x10);
            }
            else
            {
                return;
            }
            AppendEdc(block, offset, length - edc);
        }


        /// <inheritdoc/>
        public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            responseLength = 0;
            int ready = Ready();
            if (ready != CcidError.None)
            {
                return ready;
            }
            SetAccess(true);
            int n = _protocol == 0
                ? _t0.TransmitApdu(command, offset, length, response, responseOffset, responseMax)
                : _t1.Transmit(command, offset, length, response, responseOffset, responseMax);
            SetAccess(false);
            if (n == TransmissionError.Deactivated)
            {
                // The T=1 session gave up after RESYNCH and cut the contacts (ISO/IEC 7816-3 §11.6.3.2):
                // the card is present but inactive until the next IccPowerOn. Reported active, the host
                // (libccid, pcscd) would keep sending to a dead card; inactive after a power-on it takes as
                // a removal and re-insertion, and powers the card up again.
                _active = false;
                _clockStopped = false;
            }
            if (n < 0)
            {
                return MapError(n);
            }
            responseLength = n;
            return CcidError.None;
        }

        private int Ready()
        {
            UpdatePresence();
            if (!_present || !_active)
            {
                return CcidError.IccMute;
            }
            if (_clockStopped)
            {
                _line.SetClock(true);
                _clockStopped = false;
            }
            return CcidError.None;
        }

        /// <inheritdoc/>
        public int GetParameters(byte[] buffer, int offset, out int protocol, out int length)
        {
            protocol = _protocol;
            bool inverse = _atr.Convention == Convention.Inverse;
            buffer[offset] = (byte)((_fiIndex << 4) | _diIndex);
            buffer[offset + 2] = (byte)_timing.N;
            int clockStop = ClockStopCode();
            if (_protocol == 0)
            {
                buffer[offset + 1] = (byte)(inverse ? 0x02 : 0x00);
                buffer[offset + 3] = (byte)_timing.WI;
                buffer[offset + 4] = (byte)clockStop;
                length = 5;
            }
            else
            {
                buffer[offset + 1] = (byte)(0x10 | (inverse ? 0x02 : 0x00) | (_crc ? 0x01 : 0x00));
                buffer[offset + 3] = (byte)((_timing.Bwi << 4) | _timing.Cwi);
                buffer[offset + 4] = (byte)clockStop;
                buffer[offset + 5] = (byte)_ifsc;
                buffer[offset + 6] = (byte)_nad;
                length = 7;
            }
            return CcidError.None;
        }

        private int ClockStopCode()
        {
            ClockStop stop = _atr.ClockStop;
            if (stop == ClockStop.StateL)
            {
                return 1;
            }
            if (stop == ClockStop.StateH)
            {
                return 2;
            }
            if (stop == ClockStop.NoPreference)
            {
                return 3;
            }
            return 0;
        }

        /// <inheritdoc/>
        public int SetParameters(int protocol, byte[] data, int offset, int length)
        {
            if (!_active)
            {
                return CcidError.IccMute;
            }
            int fi = data[offset] >> 4;
            int di = data[offset] & 0x0F;
            if (RateTables.Fi(fi) <= 0 || RateTables.Di(di) <= 0)
            {
                return CcidError.BadData;
            }
            int tcck = data[offset + 1];
            if (protocol == 0 ? (tcck & 0xFD) != 0 : (tcck & 0xFC) != 0x10)
            {
                return CcidError.BadData + 1;
            }
            int n = data[offset + 2];
            int wi = 0;
            int cwi = -1;
            int bwi = -1;
            if (protocol == 0)
            {
                wi = data[offset + 3];
                if (wi == 0)
                {
                    return CcidError.BadData + 3;
                }
            }
            else
            {
                bwi = data[offset + 3] >> 4;
                cwi = data[offset + 3] & 0x0F;
                if (bwi > 9)
                {
                    return CcidError.BadData + 3;
                }
            }
            if (data[offset + 4] > 3)
            {
                return CcidError.BadData + 4;
            }
            if (protocol == 1 && (data[offset + 5] == 0 || data[offset + 5] == 0xFF))
            {
                return CcidError.BadData + 5;
            }
            if (!_atr.Offers(protocol))
            {
                return CcidError.IccProtocolNotSupported;
            }
            if (!ReaderDoesPps)
            {
                // The host negotiated this rate by its own PPS: switch now.
                _fiIndex = fi;
                _diIndex = di;
            }
            else
            {
                // The reader negotiated the rate at power-on; the host's copy of TA1 does not override it.
                _fiIndex = _negotiatedFi;
                _diIndex = _negotiatedDi;
            }
            _protocol = protocol;
            _timing.SetParameters(n, wi, cwi, bwi);
            if (protocol == 1)
            {
                _crc = (tcck & 0x01) != 0;
                _ifsc = data[offset + 5];
                _nad = data[offset + 6];
            }
            ApplyFrame();
            return CcidError.None;
        }

        /// <inheritdoc/>
        public int ResetParameters()
        {
            if (!_active)
            {
                return CcidError.IccMute;
            }
            _protocol = _atr.SpecificMode ? _atr.SpecificProtocol : _atr.DefaultProtocol;
            if (_protocol != 0 && _protocol != 1)
            {
                _protocol = 0;
            }
            _timing.SetFromAtr(_atr);
            _fiIndex = _negotiatedFi;
            _diIndex = _negotiatedDi;
            _crc = _atr.UsesCrc;
            _ifsc = _atr.Ifsc > 0 ? _atr.Ifsc : 32;
            ApplyFrame();
            return CcidError.None;
        }

        /// <inheritdoc/>
        public int SetClock(bool stop)
        {
            ClockStop allowed = _atr.ClockStop;
            if (stop && (allowed == ClockStop.NotSupported || allowed == ClockStop.NotIndicated))
            {
                return CcidError.CommandNotSupported;
            }
            _line.SetClock(!stop);
            _clockStopped = stop;
            return CcidError.None;
        }

        /// <inheritdoc/>
        public int SetDataRateAndClock(int clockHz, int dataRate, out int actualClockHz, out int actualDataRate)
        {
            // The clock is fixed by the board and the rate by the ATR and PPS: report what is in force.
            actualClockHz = _line.ClockHz;
            actualDataRate = (int)((long)_line.ClockHz * _timing.Di / _timing.Fi);
            return CcidError.None;
        }

        private void SetAccess(bool on)
        {
            IIndicators? indicators = _indicators;
            if (indicators != null)
            {
                indicators.SetCardAccess(_index, on);
            }
        }

        private static int ClassBit(VoltageClass voltageClass)
        {
            return voltageClass == VoltageClass.A ? 1 : (voltageClass == VoltageClass.B ? 2 : 4);
        }

        /// <summary>The CCID bError for an engine result (Terminal.Iso7816 README table).</summary>
        public static int MapError(int code)
        {
            switch (code)
            {
                case TransmissionError.ParityError:
                    return CcidError.XfrParityError;
                case TransmissionError.Overrun:
                    return CcidError.XfrOverrun;
                case TransmissionError.ProcedureByteConflict:
                    return CcidError.ProcedureByteConflict;
                case TransmissionError.BadAtrTs:
                    return CcidError.BadAtrTs;
                case TransmissionError.BadAtrTck:
                    return CcidError.BadAtrTck;
                case TransmissionError.BadAtr:
                case TransmissionError.ProtocolError:
                    return CcidError.HardwareError;
                case TransmissionError.Deactivated:
                    return CcidError.DeactivatedProtocol;
                case TransmissionError.Aborted:
                    return CcidError.CommandAborted;
                case TransmissionError.PpsFailed:
                case TransmissionError.ProtocolNotSupported:
                    return CcidError.IccProtocolNotSupported;
                case TransmissionError.BadCommand:
                    return CcidError.CommandNotSupported;
                default:
                    return CcidError.IccMute;
            }
        }
    }
}
