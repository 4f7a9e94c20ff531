using System.Collections;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>
    /// A card line that plays a scripted card with virtual time: the bytes the reader must send, the
    /// card's replies with their delays, parity errors and silences. Any deviation of the reader from
    /// the script is recorded in <see cref="Failure"/> (and the card goes mute), so a test asserts
    /// <c>Failure == null</c> and <see cref="Done"/>.
    /// </summary>
    /// <remarks>
    /// Script: whitespace-separated tokens. <c>&gt;</c> switches to bytes the reader must send, <c>&lt;</c>
    /// to bytes the card sends; a hex pair is one byte in the current direction. Before a card byte:
    /// <c>~N</c> delays it by N cycles, <c>~Ne</c> by N ETU (from the end of the previous character);
    /// <c>!</c> gives it a parity error; <c>*</c> calls <see cref="Marked"/> once the step before it is played. <c>mute</c> makes the next Receive time out (the card says
    /// nothing). Receive's timeout counts from the end of the last character or the last contact
    /// change, as the engine assumes (Terminal.Iso7816/README.md, Timing).
    /// </remarks>
    public sealed class ScriptedCardLine : ICardLine
    {
        /// <summary>Called when the script reaches a <c>*</c> mark (see <see cref="Marked"/>).</summary>
        public delegate void MarkHandler();

        /// <summary>
        /// Called when the script passes a <c>*</c> token, i.e. right after the step before it was played:
        /// a test acts at an exact point of the exchange (e.g. asks the protocol to abort).
        /// </summary>
        public MarkHandler? Marked;

        private const int Reader = 0;
        private const int Card = 1;
        private const int Silence = 2;
        private const int Mark = 3;

        /// <summary>Default delay of a card character after the previous one ends: its 2 stop ETU.</summary>
        public const int DefaultCardDelayEtu = 2;

        private readonly ArrayList _steps = new ArrayList();
        private readonly int _clockHz;
        private int _next;
        private long _now;
        private long _reference;
        private bool _present = true;
        private VoltageClass _vcc = VoltageClass.None;
        private bool _reset;
        private bool _clock;
        private Convention _convention = Convention.Direct;
        private int _fi = 372;
        private int _di = 1;
        private int _guardTimeEtu = 12;
        private bool _errorSignal;
        private string? _failure;
        private string _events = "";
        private int _sent;
        private int _timeouts;
        private long _cardLeadingEdge = -1;
        private long _turnaround = -1;

        /// <summary>A line with a 4 MHz clock and an empty script.</summary>
        public ScriptedCardLine() : this(4000000, "")
        {
        }

        /// <summary>A line with the given clock and script.</summary>
        public ScriptedCardLine(int clockHz, string script)
        {
            _clockHz = clockHz;
            Add(script);
        }

        private sealed class Step
        {
            public int Kind;
            public int Value;
            public long Delay = -1;
            public bool DelayInEtu;
            public bool Parity;
        }

        /// <summary>Appends more script.</summary>
        public void Add(string script)
        {
            int direction = Reader;
            long delay = -1;
            bool delayEtu = false;
            bool parity = false;
            string[] tokens = script.Split(new char[] { ' ', '\n', '\t', '\r' });
            for (int i = 0; i < tokens.Length; i++)
            {
                string t = tokens[i];
                if (t.Length == 0)
                {
                    continue;
                }
                if (t == ">")
                {
                    direction = Reader;
                    continue;
                }
                if (t == "<")
                {
                    direction = Card;
                    continue;
                }
                if (t == "!")
                {
                    parity = true;
                    continue;
                }
                if (t == "*")
                {
                    Step s = new Step();
                    s.Kind = Mark;
                    _steps.Add(s);
                    continue;
                }
                if (t == "mute")
                {
                    Step s = new Step();
                    s.Kind = Silence;
                    _steps.Add(s);
                    continue;
                }
                if (t[0] == '~')
                {
                    delayEtu = t[t.Length - 1] == 'e';
                    delay = long.Parse(t.Substring(1, t.Length - (delayEtu ? 2 : 1)));
                    continue;
                }
                Step step = new Step();
                step.Kind = direction;
                step.Value = Hex.Byte(t);
                if (direction == Card)
                {
                    step.Delay = delay;
                    step.DelayInEtu = delayEtu;
                    step.Parity = parity;
                }
                _steps.Add(step);
                delay = -1;
                delayEtu = false;
                parity = false;
            }
        }

        /// <summary>The first deviation of the reader from the script, or null.</summary>
        public string? Failure
        {
            get { return _failure; }
        }

        /// <summary>True when every step of the script has been played.</summary>
        public bool Done
        {
            get { return _next == _steps.Count; }
        }

        /// <summary>Steps not yet played.</summary>
        public int Remaining
        {
            get { return _steps.Count - _next; }
        }

        /// <summary>Contact and configuration events, e.g. "RST0 VCC1 CFG0/372/1/12/0 CLK1 WAIT40000 RST1".</summary>
        public string Events
        {
            get { return _events; }
        }

        /// <summary>Number of bytes the reader sent.</summary>
        public int Sent
        {
            get { return _sent; }
        }

        /// <summary>
        /// Cycles from the leading edge of the card's last character to the leading edge of the reader's
        /// next one, for the last time the reader took the turn; -1 before that.
        /// </summary>
        public long LastTurnaroundCycles
        {
            get { return _turnaround; }
        }

        /// <summary>Number of Receive calls that timed out.</summary>
        public int Timeouts
        {
            get { return _timeouts; }
        }

        /// <summary>The convention last configured.</summary>
        public Convention ConfiguredConvention
        {
            get { return _convention; }
        }

        /// <summary>Fi last configured.</summary>
        public int ConfiguredFi
        {
            get { return _fi; }
        }

        /// <summary>Di last configured.</summary>
        public int ConfiguredDi
        {
            get { return _di; }
        }

        /// <summary>Guard time last configured.</summary>
        public int ConfiguredGuardTimeEtu
        {
            get { return _guardTimeEtu; }
        }

        /// <summary>Error signal last configured.</summary>
        public bool ConfiguredErrorSignal
        {
            get { return _errorSignal; }
        }

        /// <summary>VCC state.</summary>
        public VoltageClass Vcc
        {
            get { return _vcc; }
        }

        /// <inheritdoc />
        public int ClockHz
        {
            get { return _clockHz; }
        }

        /// <inheritdoc />
        public long Now
        {
            get { return _now; }
        }

        /// <summary>Presence switch; tests open it to simulate a removal.</summary>
        public bool CardPresent
        {
            get { return _present; }
            set { _present = value; }
        }

        /// <inheritdoc />
        public void SetVcc(VoltageClass voltageClass)
        {
            _vcc = voltageClass;
            _events += "VCC" + (int)voltageClass + " ";
            _reference = _now;
        }

        /// <inheritdoc />
        public void SetReset(bool high)
        {
            _reset = high;
            _events += high ? "RST1 " : "RST0 ";
            _reference = _now;
        }

        /// <inheritdoc />
        public void SetClock(bool running)
        {
            _clock = running;
            _events += running ? "CLK1 " : "CLK0 ";
            _reference = _now;
        }

        /// <inheritdoc />
        public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
        {
            _convention = convention;
            _fi = fi;
            _di = di;
            _guardTimeEtu = guardTimeEtu;
            _errorSignal = errorSignal;
            _events += "CFG" + (int)convention + "/" + fi + "/" + di + "/" + guardTimeEtu + "/" + (errorSignal ? 1 : 0) + " ";
        }

        /// <inheritdoc />
        public void Send(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                int value = buffer[offset + i];
                if (_cardLeadingEdge >= 0)
                {
                    _turnaround = _now - _cardLeadingEdge;
                    _cardLeadingEdge = -1;
                }
                _sent++;
                _now += Etu(_guardTimeEtu);
                _reference = _now;
                if (_failure != null)
                {
                    continue;
                }
                Step? step = _next < _steps.Count ? (Step?)_steps[_next] : null;
                if (step == null || step.Kind != Reader)
                {
                    Fail("reader sent " + Hex.Of(value) + " at step " + _next + " where the script " + (step == null ? "had ended" : "expects the card to speak"));
                    continue;
                }
                if (step.Value != value)
                {
                    Fail("reader sent " + Hex.Of(value) + " at step " + _next + ", script expects " + Hex.Of(step.Value));
                    continue;
                }
                _next++;
                PassMarks();
            }
        }

        /// <inheritdoc />
        public int Receive(long timeoutCycles)
        {
            if (!_present || _vcc == VoltageClass.None)
            {
                return LineStatus.NoCard;
            }
            Step? step = _next < _steps.Count ? (Step?)_steps[_next] : null;
            if (_failure != null || step == null || step.Kind != Card)
            {
                // A short listen (no longer than the stray-TCK window after a T=0 ATR) is the reader
                // making sure nothing more comes, not waiting for an answer: it only times out.
                if (_failure == null && step != null && step.Kind == Reader && timeoutCycles > Timing.StrayTckWindowCycles)
                {
                    Fail("reader waits for the card at step " + _next + " where the script expects the reader to send " + Hex.Of(step.Value));
                }
                if (step != null && step.Kind == Silence)
                {
                    _next++;
                }
                return TimeOut(timeoutCycles);
            }
            long delay = step.Delay < 0 ? Etu(DefaultCardDelayEtu) : (step.DelayInEtu ? Etu((int)step.Delay) : step.Delay);
            if (delay > timeoutCycles)
            {
                // Too late: the reader has given up on this character.
                _next++;
                return TimeOut(timeoutCycles);
            }
            _next++;
            _now = _reference + delay + Etu(10);
            _reference = _now;
            _cardLeadingEdge = _now - Etu(10);
            PassMarks();
            return step.Parity ? step.Value | LineStatus.ParityError : step.Value;
        }

        /// <inheritdoc />
        public void Wait(long cycles)
        {
            if (cycles > 0)
            {
                _now += cycles;
            }
            _events += "WAIT" + cycles + " ";
            _reference = _now;
        }

        /// <summary>Forgets the event log (keeps the script position).</summary>
        public void ClearEvents()
        {
            _events = "";
        }

        private void PassMarks()
        {
            while (_next < _steps.Count)
            {
                Step? step = (Step?)_steps[_next];
                if (step == null || step.Kind != Mark)
                {
                    return;
                }
                _next++;
                MarkHandler? handler = Marked;
                if (handler != null)
                {
                    handler();
                }
            }
        }

        private int TimeOut(long timeoutCycles)
        {
            _timeouts++;
            long end = _reference + timeoutCycles;
            if (end > _now)
            {
                _now = end;
            }
            _reference = _now;
            return LineStatus.Timeout;
        }

        private long Etu(int etu)
        {
            return ((long)etu * _fi + _di - 1) / _di;
        }

        private void Fail(string message)
        {
            if (_failure == null)
            {
                _failure = message;
            }
        }
    }
}
