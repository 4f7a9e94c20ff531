using Terminal.Iso7816;

namespace Terminal.Boards
{
    /// <summary>Where the self-test writes its report: one line a check.</summary>
    public interface ISelfTestReport
    {
        /// <summary>Writes one report line.</summary>
        void Line(string text);
    }

    /// <summary>
    /// The factory self-test, for the end of a manufacturer's line: display pattern, every key, every
    /// LED, the buzzer, each slot's activation with a card present. Checks that need a person's eyes
    /// or ears ask the operator on the display to answer OK (seen/heard) or Cancel (not).
    /// Report lines: "PASS name detail" or "FAIL name detail", then "RESULT PASS n checks" or
    /// "RESULT FAIL f of n checks".
    /// </summary>
    /// <remarks>
    /// Started by `terminal selftest` on a Linux board and, on the device, by holding Correction and
    /// OK while powering up. No PIN is ever asked; the key check shows which key is expected and
    /// reports only the key it got.
    /// </remarks>
    public sealed class FactorySelfTest
    {
        private readonly DriverBoard _board;
        private readonly ISelfTestReport _report;
        private readonly int _answerTimeoutMs;
        private readonly byte[] _atr = new byte[33];
        private int _checks;
        private int _failures;

        /// <summary>Prepares a run on <paramref name="board"/> (already started).</summary>
        /// <param name="board">The board under test.</param>
        /// <param name="report">Where lines go.</param>
        /// <param name="answerTimeoutMs">How long to wait for each key or operator answer.</param>
        public FactorySelfTest(DriverBoard board, ISelfTestReport report, int answerTimeoutMs)
        {
            _board = board;
            _report = report;
            _answerTimeoutMs = answerTimeoutMs;
        }

        /// <summary>Checks done in the last run.</summary>
        public int Checks
        {
            get { return _checks; }
        }

        /// <summary>Checks failed in the last run.</summary>
        public int Failures
        {
            get { return _failures; }
        }

        /// <summary>Runs every check; true when all passed.</summary>
        public bool Run()
        {
            _checks = 0;
            _failures = 0;
            _report.Line("SELFTEST board " + _board.Name);
            IKeypad? keypad = _board.Keypad;
            Hd44780Display? display = _board.DisplayDriver;
            if (display != null)
            {
                display.ShowAllDots();
                _board.Clock.Sleep(1000);
                display.Clear();
                display.Show(0, "0123456789ABCDEF");
                display.Show(1, "Lisible? OK/Ann");
                Answer("display", "pattern and characters");
            }
            else
            {
                Fail("display", "none on this board");
            }
            if (keypad != null)
            {
                string[] layout = _board.Config.KeypadLayout;
                for (int i = 0; i < layout.Length; i++)
                {
                    if (layout[i].Length == 0)
                    {
                        continue;
                    }
                    Key expected = BoardConfig.ParseKey(layout[i]);
                    Prompt("Appuyer " + layout[i], "");
                    keypad.Flush();
                    Key got = keypad.ReadKey(_answerTimeoutMs);
                    if (got == expected)
                    {
                        Pass("key " + layout[i], "");
                    }
                    else
                    {
                        Fail("key " + layout[i], got == Key.None ? "timeout" : "got " + KeyName(got));
                    }
                }
            }
            else
            {
                Fail("keypad", "none on this board");
            }
            IIndicators leds = _board.Indicators;
            leds.SetSecureMode(true);
            Prompt("LED securite?", "OK/Ann");
            Answer("led secure", "");
            leds.SetSecureMode(false);
            for (int slot = 0; slot < _board.SlotCount; slot++)
            {
                leds.SetCardAccess(slot, true);
                Prompt("LED lecteur " + slot + "?", "OK/Ann");
                Answer("led slot" + slot, "");
                leds.SetCardAccess(slot, false);
            }
            Prompt("Bip?", "OK/Ann");
            leds.Beep(300);
            Answer("buzzer", "");
            for (int slot = 0; slot < _board.SlotCount; slot++)
            {
                CheckSlot(slot);
            }
            if (_failures == 0)
            {
                _report.Line("RESULT PASS " + _checks + " checks");
                Prompt("AUTOTEST OK", "");
            }
            else
            {
                _report.Line("RESULT FAIL " + _failures + " of " + _checks + " checks");
                Prompt("AUTOTEST ECHEC", _failures + " erreur(s)");
            }
            return _failures == 0;
        }

        private void CheckSlot(int slot)
        {
            string name = "slot" + slot;
            ICardLine line = _board.GetCardLine(slot);
            if (!line.CardPresent)
            {
                Fail(name, "no card (insert a test card in every slot)");
                return;
            }
            Prompt("Carte " + slot + "...", "");
            line.SetReset(false);
            line.SetVcc(VoltageClass.A);
            line.SetClock(true);
            line.Wait(500);
            line.SetReset(true);
            int count = 0;
            // TS within 40 000 cycles of RST rising (ISO/IEC 7816-3 8.1), then each character within the initial 9600 ETU.
            int c = line.Receive(40000);
            while (c >= 0 && count < _atr.Length)
            {
                _atr[count++] = (byte)(c & 0xFF);
                c = line.Receive(9600L * 372);
            }
            line.SetReset(false);
            line.SetClock(false);
            line.SetVcc(VoltageClass.None);
            if (count == 0)
            {
                Fail(name, c == LineStatus.NoCard ? "activation refused (fault)" : "no ATR");
                return;
            }
            string hex = "";
            for (int i = 0; i < count; i++)
            {
                hex = hex + (i == 0 ? "" : " ") + _atr[i].ToString("X2");
            }
            if (_atr[0] != 0x3B && _atr[0] != 0x3F)
            {
                Fail(name, "bad TS: ATR " + hex);
                return;
            }
            Pass(name, "ATR " + hex);
        }

        private void Answer(string name, string detail)
        {
            IKeypad? keypad = _board.Keypad;
            if (keypad == null)
            {
                Fail(name, "no keypad to answer");
                return;
            }
            keypad.Flush();
            Key got = keypad.ReadKey(_answerTimeoutMs);
            if (got == Key.Ok)
            {
                Pass(name, detail);
            }
            else
            {
                Fail(name, got == Key.None ? "no answer" : "operator rejected");
            }
        }

        private void Prompt(string first, string second)
        {
            ITextDisplay? display = _board.Display;
            if (display != null)
            {
                display.Show(0, first);
                display.Show(1, second);
            }
        }

        private void Pass(string name, string detail)
        {
            _checks++;
            _report.Line(detail.Length == 0 ? "PASS " + name : "PASS " + name + " " + detail);
        }

        private void Fail(string name, string detail)
        {
            _checks++;
            _failures++;
            _report.Line("FAIL " + name + " " + detail);
        }

        private static string KeyName(Key key)
        {
            if (key >= Key.Digit0 && key <= Key.Digit9)
            {
                return ((int)key).ToString();
            }
            return key == Key.Ok ? "OK" : key == Key.Cancel ? "CANCEL" : key == Key.Correction ? "CORRECTION" : "none";
        }
    }
}
