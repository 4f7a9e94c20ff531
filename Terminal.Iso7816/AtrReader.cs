namespace Terminal.Iso7816
{
    /// <summary>
    /// Activation, reset and deactivation of the contacts (ISO/IEC 7816-3 §6) and reception of the
    /// ATR with its timing (§6.2, §8.1, EMV's bound on the whole ATR). Reads exactly the characters
    /// the ATR's own structure announces, then parses them into an <see cref="Atr"/>.
    /// </summary>
    public sealed class AtrReader
    {
        private readonly ICardLine _line;
        private readonly Timing _timing;
        private readonly byte[] _buffer = new byte[Atr.MaxLength];
        private ICardTraceListener? _traceListener;

        /// <summary>A reader of ATRs on <paramref name="line"/>; <paramref name="timing"/> is reset to the defaults on each reset.</summary>
        public AtrReader(ICardLine line, Timing timing)
        {
            _line = line;
            _timing = timing;
        }

        /// <summary>
        /// Cold reset (§6.2.2): RST low, VCC of <paramref name="voltageClass"/>, the line in reception at
        /// the default frame, CLK, RST high after <see cref="Timing.ResetLowCycles"/>, then the ATR.
        /// Returns the ATR length, or a <see cref="TransmissionError"/>; on error the contacts are
        /// deactivated. An ATR with only RFU values (see <see cref="Atr.IsUsable"/>) is returned as usable.
        /// </summary>
        public int ColdReset(VoltageClass voltageClass, Atr atr)
        {
            if (!_line.CardPresent)
            {
                atr.Parse(_buffer, 0, 0);
                return TransmissionError.CardRemoved;
            }
            _line.SetReset(false);
            _line.SetVcc(voltageClass);
            _timing.Reset(_line.ClockHz);
            _line.Configure(Convention.Direct, Timing.DefaultFi, Timing.DefaultDi, 12, false);
            _line.SetClock(true);
            _line.Wait(Timing.ResetLowCycles);
            _line.SetReset(true);
            return ReadAtr(atr);
        }

        /// <summary>
        /// Warm reset (§6.2.3): RST low for <see cref="Timing.ResetLowCycles"/> with VCC and CLK kept,
        /// RST high, then the ATR (whose TS may change the convention). Same results as <see cref="ColdReset"/>.
        /// </summary>
        public int WarmReset(Atr atr)
        {
            if (!_line.CardPresent)
            {
                atr.Parse(_buffer, 0, 0);
                return TransmissionError.CardRemoved;
            }
            _line.SetReset(false);
            _timing.Reset(_line.ClockHz);
            _line.Configure(Convention.Direct, Timing.DefaultFi, Timing.DefaultDi, 12, false);
            _line.Wait(Timing.ResetLowCycles);
            _line.SetReset(true);
            return ReadAtr(atr);
        }

        /// <summary>Told about every ATR read (also partial or malformed ones), or null.</summary>
        public ICardTraceListener? TraceListener
        {
            get { return _traceListener; }
            set { _traceListener = value; }
        }

        /// <summary>Deactivation (§6.4): RST low, clock stopped, VCC removed (the line puts I/O low with VCC).</summary>
        public void Deactivate()
        {
            _line.SetReset(false);
            _line.SetClock(false);
            _line.SetVcc(VoltageClass.None);
        }

        private int ReadAtr(Atr atr)
        {
            int result = Receive(atr);
            ICardTraceListener? listener = _traceListener;
            if (listener != null && atr.Length > 0)
            {
                listener.AtrReceived(atr.Bytes, 0, atr.Length);
            }
            if (result < 0)
            {
                Deactivate();
            }
            return result;
        }

        private int Receive(Atr atr)
        {
            int c = _line.Receive(Timing.AtrFirstCharMaxCycles);
            if (c < 0)
            {
                atr.Parse(_buffer, 0, 0);
                return c;
            }
            _timing.CardLastSpokeAt = _line.Now;
            int ts = c & 0xFF;
            if (ts == 0x3B && (c & LineStatus.ParityError) == 0)
            {
                _buffer[0] = 0x3B;
            }
            else if (ts == 0x03 || ts == 0x3F)
            {
                // Inverse convention read in the direct one: 3F looks like 03 (with a parity error).
                _buffer[0] = 0x3F;
                _line.Configure(Convention.Inverse, Timing.DefaultFi, Timing.DefaultDi, 12, false);
            }
            else
            {
                _buffer[0] = (byte)ts;
                atr.Parse(_buffer, 0, 1);
                return TransmissionError.BadAtrTs;
            }

            // The whole ATR is bounded from the leading edge of TS, one character before "now".
            long deadline = _line.Now - (Timing.CharacterEtu * Timing.InitialEtuCycles) + Timing.AtrTotalMaxCycles;
            int length = 1;
            int expected = 2; // TS and T0 at least
            int historical = 0;
            int pendingY = 0;
            int interfaceLeft = 0;
            bool tckNeeded = false;
            bool inHistorical = false;
            while (length < expected)
            {
                if (length >= Atr.MaxLength)
                {
                    atr.Parse(_buffer, 0, length);
                    return TransmissionError.BadAtr;
                }
                long timeout = deadline - _line.Now;
                if (timeout > Timing.AtrCharMaxCycles)
                {
                    timeout = Timing.AtrCharMaxCycles;
                }
                if (timeout <= 0)
                {
                    atr.Parse(_buffer, 0, length);
                    return TransmissionError.BadAtr;
                }
                c = _line.Receive(timeout);
                if (c < 0)
                {
                    atr.Parse(_buffer, 0, length);
                    return c == LineStatus.NoCard ? TransmissionError.CardRemoved : TransmissionError.BadAtr;
                }
                _timing.CardLastSpokeAt = _line.Now;
                if ((c & LineStatus.ParityError) != 0)
                {
                    _buffer[length] = (byte)c;
                    atr.Parse(_buffer, 0, length + 1);
                    return TransmissionError.ParityError;
                }
                int value = c & 0xFF;
                _buffer[length] = (byte)value;
                int index = length;
                length++;

                if (index == 1)
                {
                    historical = value & 0x0F;
                    pendingY = value >> 4;
                    interfaceLeft = BitCount(pendingY);
                    expected = 2 + interfaceLeft + historical;
                    inHistorical = interfaceLeft == 0;
                    continue;
                }
                if (inHistorical)
                {
                    continue;
                }
                interfaceLeft--;
                // The TD byte is the last of its group when present (bit 8 of Y).
                if (interfaceLeft == 0 && (pendingY & 0x08) != 0)
                {
                    int t = value & 0x0F;
                    if (t != 0 && !tckNeeded)
                    {
                        tckNeeded = true;
                        expected++;
                    }
                    pendingY = value >> 4;
                    interfaceLeft = BitCount(pendingY);
                    expected += interfaceLeft;
                }
                if (interfaceLeft == 0)
                {
                    inHistorical = true;
                }
            }

            if (!tckNeeded && length < Atr.MaxLength)
            {
                // Some T=0 cards send a TCK anyway. Read it now, or it would be taken for the first
                // character of the PPS response or of a procedure byte.
                c = _line.Receive(Timing.StrayTckWindowCycles);
                if (c == LineStatus.NoCard)
                {
                    atr.Parse(_buffer, 0, length);
                    return TransmissionError.CardRemoved;
                }
                if (c >= 0)
                {
                    _timing.CardLastSpokeAt = _line.Now;
                    _buffer[length++] = (byte)c;
                }
            }
            AtrError error = atr.Parse(_buffer, 0, length);
            if (error == AtrError.BadTck)
            {
                return TransmissionError.BadAtrTck;
            }
            if (Atr.IsFatal(error))
            {
                return TransmissionError.BadAtr;
            }
            return atr.Length;
        }

        private static int BitCount(int nibble)
        {
            return (nibble & 1) + ((nibble >> 1) & 1) + ((nibble >> 2) & 1) + ((nibble >> 3) & 1);
        }
    }
}
