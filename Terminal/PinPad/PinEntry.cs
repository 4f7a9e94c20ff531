using System.Threading;
using Terminal.Boards;

namespace Terminal.PinPad
{
    /// <summary>
    /// One PIN prompt on the reader's own keypad and display: digits shown as '*' (their count always
    /// visible), Correction removes the last digit, OK is refused below the minimum length (beep),
    /// Cancel aborts, a first-digit and a next-digit timer and an overall deadline run on the board's
    /// clock, and removal of the card aborts. The secure-mode LED is lit while a prompt runs (and for
    /// the whole of a multi-prompt operation, see <see cref="EnterSecureMode"/>) and at no other time.
    /// The digits go to a <see cref="PinBuffer"/> that is wiped on every outcome but
    /// <see cref="PinEntryOutcome.Entered"/>, exceptions included; after an entry the caller owns the
    /// digits and wipes them in its own <c>finally</c>.
    /// </summary>
    public sealed class PinEntry
    {
        /// <summary>The first-digit and next-digit timers when the host gives none (gemSpec_KT: 30 s).</summary>
        public const int DefaultDigitTimeoutMilliseconds = 30000;

        /// <summary>The longest a whole PIN operation may take, whatever the host asks (gemSpec_KT: 180 s).</summary>
        public const int MaxOverallMilliseconds = 180000;

        /// <summary>How often card presence is checked while waiting for a key.</summary>
        public const int DefaultPollMilliseconds = 50;

        /// <summary>Length of the beep for a refused key.</summary>
        public const int RefusedKeyBeepMilliseconds = 80;

        private const string Stars = "********************************";

        private const int StarLineColumns = 16;

        // Every star line a 16-column display shows, built once: a key press allocates nothing.
        private static readonly string[] StarLines = BuildStarLines();

        private readonly IKeypad _keypad;
        private readonly ITextDisplay? _display;
        private readonly IIndicators _indicators;
        private readonly IClock _clock;
        private int _secureDepth;
        private int _abortRequested;

        /// <summary>A PIN entry on the given board parts; <paramref name="display"/> may be null (no display).</summary>
        public PinEntry(IKeypad keypad, ITextDisplay? display, IIndicators indicators, IClock clock)
        {
            _keypad = keypad;
            _display = display;
            _indicators = indicators;
            _clock = clock;
            PollMilliseconds = DefaultPollMilliseconds;
            MinDigits = 4;
            MaxDigits = 8;
            FirstDigitTimeoutMilliseconds = DefaultDigitTimeoutMilliseconds;
            NextDigitTimeoutMilliseconds = DefaultDigitTimeoutMilliseconds;
        }

        /// <summary>Fewest digits OK accepts (at least 1).</summary>
        public int MinDigits { get; set; }

        /// <summary>Most digits the prompt takes; further digits are refused with a beep.</summary>
        public int MaxDigits { get; set; }

        /// <summary>Time allowed from the prompt to the first digit.</summary>
        public int FirstDigitTimeoutMilliseconds { get; set; }

        /// <summary>Time allowed between two keys once the first digit is typed.</summary>
        public int NextDigitTimeoutMilliseconds { get; set; }

        /// <summary>The entry completes by itself when <see cref="MaxDigits"/> digits are typed (bEntryValidationCondition bit 0).</summary>
        public bool ValidateOnMaxLength { get; set; }

        /// <summary>A timeout with at least <see cref="MinDigits"/> digits validates the entry instead of failing (bEntryValidationCondition bit 2).</summary>
        public bool ValidateOnTimeout { get; set; }

        /// <summary>How often card presence is checked while waiting for a key.</summary>
        public int PollMilliseconds { get; set; }

        /// <summary>True while the secure-mode LED is lit by this entry.</summary>
        public bool InSecureMode
        {
            get { return _secureDepth > 0; }
        }

        /// <summary>
        /// Ends the running prompt (and the next one, if none runs yet) as <see cref="PinEntryOutcome.Cancelled"/>
        /// at its next poll. Safe from another thread: the CCID layer calls it on PC_to_RDR_Abort or
        /// when the host goes away.
        /// </summary>
        public void Abort()
        {
            Interlocked.Exchange(ref _abortRequested, 1);
        }

        /// <summary>Forgets an <see cref="Abort"/> that no prompt consumed (called when an operation starts).</summary>
        public void ClearAbort()
        {
            Interlocked.Exchange(ref _abortRequested, 0);
        }

        /// <summary>
        /// Lights the secure-mode LED for an operation of several prompts (a modify's current, new and
        /// confirmation PINs) so it stays on between them. Pair with <see cref="ExitSecureMode"/> in a
        /// <c>finally</c>.
        /// </summary>
        public void EnterSecureMode()
        {
            if (_secureDepth++ == 0)
            {
                _indicators.SetSecureMode(true);
            }
        }

        /// <summary>Ends what <see cref="EnterSecureMode"/> began; the LED goes off with the outermost call.</summary>
        public void ExitSecureMode()
        {
            if (_secureDepth > 0 && --_secureDepth == 0)
            {
                _indicators.SetSecureMode(false);
            }
        }

        /// <summary>
        /// Runs one prompt: shows <paramref name="prompt"/> on the first line and the stars on the
        /// second, and collects digits into <paramref name="pin"/> (wiped first) until validation,
        /// Cancel, a timer, <paramref name="overallDeadline"/> (a <see cref="IClock.NowMilliseconds"/>
        /// value) or card removal.
        /// </summary>
        public PinEntryOutcome Run(string prompt, PinBuffer pin, IPinEntrySlot card, long overallDeadline)
        {
            PinEntryOutcome outcome = PinEntryOutcome.Cancelled;
            EnterSecureMode();
            try
            {
                pin.Wipe();
                _keypad.Flush();
                int min = MinDigits < 1 ? 1 : MinDigits;
                int max = MaxDigits > pin.Capacity ? pin.Capacity : MaxDigits;
                if (max < min)
                {
                    max = min;
                }

                Show(prompt, pin.Count);
                long start = _clock.NowMilliseconds;
                long lastKey = start;
                bool started = false;
                while (true)
                {
                    if (Interlocked.Exchange(ref _abortRequested, 0) != 0)
                    {
                        outcome = PinEntryOutcome.Cancelled;
                        return outcome;
                    }

                    if (!card.IsCardPresent)
                    {
                        outcome = PinEntryOutcome.CardRemoved;
                        return outcome;
                    }

                    long now = _clock.NowMilliseconds;
                    long deadline = started ? lastKey + NextDigitTimeoutMilliseconds : start + FirstDigitTimeoutMilliseconds;
                    if (overallDeadline < deadline)
                    {
                        deadline = overallDeadline;
                    }

                    if (now >= deadline)
                    {
                        outcome = ValidateOnTimeout && pin.Count >= min ? PinEntryOutcome.Entered : PinEntryOutcome.Timeout;
                        return outcome;
                    }

                    card.KeepHostWaiting();
                    long wait = deadline - now;
                    Key key = _keypad.ReadKey(wait < PollMilliseconds ? (int)wait : PollMilliseconds);
                    if (key == Key.None)
                    {
                        continue;
                    }

                    lastKey = _clock.NowMilliseconds;
                    if (key >= Key.Digit0 && key <= Key.Digit9)
                    {
                        if (pin.Count >= max)
                        {
                            _indicators.Beep(RefusedKeyBeepMilliseconds);
                            continue;
                        }

                        pin.Append((int)key);
                        started = true;
                        Show(prompt, pin.Count);
                        if (ValidateOnMaxLength && pin.Count == max)
                        {
                            outcome = PinEntryOutcome.Entered;
                            return outcome;
                        }
                    }
                    else if (key == Key.Correction)
                    {
                        if (!pin.RemoveLast())
                        {
                            _indicators.Beep(RefusedKeyBeepMilliseconds);
                        }

                        Show(prompt, pin.Count);
                    }
                    else if (key == Key.Ok)
                    {
                        if (pin.Count >= min)
                        {
                            outcome = PinEntryOutcome.Entered;
                            return outcome;
                        }

                        _indicators.Beep(RefusedKeyBeepMilliseconds);
                    }
                    else if (key == Key.Cancel)
                    {
                        outcome = PinEntryOutcome.Cancelled;
                        return outcome;
                    }
                }
            }
            finally
            {
                if (outcome != PinEntryOutcome.Entered)
                {
                    pin.Wipe();
                }

                ExitSecureMode();
            }
        }

        private void Show(string prompt, int count)
        {
            if (_display == null)
            {
                return;
            }

            _display.Show(0, prompt);
            _display.Show(1, StarsFor(count, _display.Columns));
        }

        /// <summary>
        /// The second line for <paramref name="count"/> digits on a line of <paramref name="columns"/>
        /// characters: that many stars, or when they do not fit, stars and the count ("********** 17").
        /// Never a digit of the PIN.
        /// </summary>
        public static string StarsFor(int count, int columns)
        {
            if (count >= 0 && count <= columns && count < StarLines.Length)
            {
                return StarLines[count];
            }

            if (count <= columns && count <= Stars.Length)
            {
                return Stars.Substring(0, count);
            }

            string number = count.ToString();
            int starCount = columns - number.Length - 1;
            if (starCount < 0)
            {
                starCount = 0;
            }

            return Stars.Substring(0, starCount) + " " + number;
        }

        private static string[] BuildStarLines()
        {
            string[] lines = new string[StarLineColumns + 1];
            for (int i = 0; i < lines.Length; i++)
            {
                lines[i] = Stars.Substring(0, i);
            }

            return lines;
        }
    }
}
