using System.Collections;
using nanoFramework.TestFramework;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>An operator in virtual time: presses the next key of a list for 40 ms, 40 ms after letting go of the last one.</summary>
    public sealed class ScriptedOperator
    {
        private readonly int[] _keyIndexes;
        private int _next;
        private long _pressedAt = -1;
        private long _releasedAt = -1000;

        /// <summary>Keys as raw matrix indexes (row * 4 + column), in the order they will be pressed.</summary>
        public ScriptedOperator(int[] keyIndexes)
        {
            _keyIndexes = keyIndexes;
        }

        /// <summary>Presses done.</summary>
        public int Done
        {
            get { return _next; }
        }

        /// <summary>The matrix index held at <paramref name="now"/>, -1 for none.</summary>
        public int Held(long now)
        {
            if (_pressedAt >= 0)
            {
                if (now - _pressedAt < 40)
                {
                    return _keyIndexes[_next];
                }
                _pressedAt = -1;
                _releasedAt = now;
                _next++;
                return -1;
            }
            if (_next < _keyIndexes.Length && now - _releasedAt >= 40)
            {
                _pressedAt = now;
                return _keyIndexes[_next];
            }
            return -1;
        }
    }

    /// <summary>The fake platform with a keypad the operator uses and cards that answer reset with an ATR.</summary>
    public sealed class ScriptedPlatform : IBoardPlatform
    {
        /// <summary>The recording platform underneath.</summary>
        public readonly FakePlatform Inner = new FakePlatform();

        private readonly BoardConfig _config;
        private readonly ScriptedOperator _operator;
        private readonly ArrayList _rows = new ArrayList();
        private readonly byte[][] _atrs;

        /// <summary>Builds it for <paramref name="config"/>; <paramref name="atrs"/>[slot] is sent after RST rises (null: mute card).</summary>
        public ScriptedPlatform(BoardConfig config, ScriptedOperator op, byte[][] atrs)
        {
            _config = config;
            _operator = op;
            _atrs = atrs;
        }

        /// <inheritdoc />
        public IClock Clock
        {
            get { return Inner.Clock; }
        }

        /// <inheritdoc />
        public IMicroDelay Delay
        {
            get { return Inner.Delay; }
        }

        /// <inheritdoc />
        public IOutputPin OpenOutput(int gpio, bool initialHigh)
        {
            for (int s = 0; s < _config.Slots.Length; s++)
            {
                if (_config.Slots[s].RstInPin == gpio)
                {
                    return new ResetPin(this, s);
                }
            }
            return Inner.OpenOutput(gpio, initialHigh);
        }

        /// <inheritdoc />
        public IOutputPin OpenOpenDrainOutput(int gpio)
        {
            IOutputPin row = Inner.OpenOpenDrainOutput(gpio);
            _rows.Add(row);
            return row;
        }

        /// <inheritdoc />
        public IInputPin OpenInput(int gpio, bool pullUp)
        {
            for (int c = 0; c < _config.KeypadColumnPins.Length; c++)
            {
                if (_config.KeypadColumnPins[c] == gpio)
                {
                    return new Column(this, c);
                }
            }
            return Inner.OpenInput(gpio, pullUp);
        }

        /// <inheritdoc />
        public ISerialPort OpenSerial(string name, int baudRate, SerialParity parity, int stopBits)
        {
            return Inner.OpenSerial(name, baudRate, parity, stopBits);
        }

        /// <inheritdoc />
        public IClockOutput OpenClock(int gpio, int chip, int channel, int frequencyHz)
        {
            return Inner.OpenClock(gpio, chip, channel, frequencyHz);
        }

        private sealed class ResetPin : IOutputPin
        {
            private readonly ScriptedPlatform _owner;
            private readonly int _slot;

            public ResetPin(ScriptedPlatform owner, int slot)
            {
                _owner = owner;
                _slot = slot;
            }

            public void Write(bool high)
            {
                byte[] atr = _owner._atrs[_slot];
                if (high && atr != null && _owner.Inner.CardPort != null)
                {
                    _owner.Inner.CardPort.Arrive(2, atr, true);
                }
            }
        }

        private sealed class Column : IInputPin
        {
            private readonly ScriptedPlatform _owner;
            private readonly int _column;

            public Column(ScriptedPlatform owner, int column)
            {
                _owner = owner;
                _column = column;
            }

            public event PinChangedHandler Changed
            {
                add { }
                remove { }
            }

            public bool Read()
            {
                int held = _owner._operator.Held(_owner.Inner.FakeClock.NowMilliseconds);
                int columns = _owner._config.KeypadColumnPins.Length;
                if (held < 0 || held % columns != _column)
                {
                    return true;
                }
                FakeOutputPin row = (FakeOutputPin)_owner._rows[held / columns]!;
                return row.Writes == 0 || row.Level;
            }
        }
    }

    /// <summary>The factory self-test run end to end on the ESP32 board description with a scripted operator and test cards.</summary>
    [TestClass]
    public class SelfTestTests
    {
        private static int[] OperatorKeys(BoardConfig config)
        {
            ArrayList keys = new ArrayList();
            int ok = IndexOf(config, "OK");
            keys.Add(ok);
            for (int i = 0; i < config.KeypadLayout.Length; i++)
            {
                if (config.KeypadLayout[i].Length > 0)
                {
                    keys.Add(i);
                }
            }
            for (int i = 0; i < 4; i++)
            {
                keys.Add(ok);
            }
            int[] result = new int[keys.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (int)keys[i]!;
            }
            return result;
        }

        private static int IndexOf(BoardConfig config, string name)
        {
            for (int i = 0; i < config.KeypadLayout.Length; i++)
            {
                if (config.KeypadLayout[i] == name)
                {
                    return i;
                }
            }
            return -1;
        }

        [TestMethod]
        public void SelfTest_EveryCheckAnswered_AllPassWithBothAtrs()
        {
            BoardConfig config = Esp32DevKitC.Create();
            ScriptedOperator op = new ScriptedOperator(OperatorKeys(config));
            byte[][] atrs = new byte[][]
            {
                new byte[] { 0x3B, 0x65, 0x00, 0x00, 0x9C, 0x11, 0x01, 0x01, 0x03 },
                new byte[] { 0x03 },
            };
            ScriptedPlatform p = new ScriptedPlatform(config, op, atrs);
            DriverBoard board = new DriverBoard(config, p);
            p.Inner.Inputs[34]!.Level = true;
            p.Inner.Inputs[35]!.Level = true;
            board.Start();
            RecordingReport report = new RecordingReport();
            FactorySelfTest test = new FactorySelfTest(board, report, 2000);
            bool passed = test.Run();
            Assert.AreEqual("PASS display pattern and characters", report.Get(1));
            Assert.AreEqual("PASS key 1", report.Get(2));
            Assert.AreEqual("PASS key OK", report.Get(14));
            Assert.AreEqual("PASS buzzer", report.Get(18));
            Assert.AreEqual("PASS slot0 ATR 3B 65 00 00 9C 11 01 01 03", report.Get(19));
            // Slot 1's card is an inverse-convention one: its TS, heard as 03, is reported as 3F.
            Assert.AreEqual("PASS slot1 ATR 3F", report.Get(20));
            Assert.AreEqual("RESULT PASS 20 checks", report.Last);
            Assert.IsTrue(passed);
            // 18 presses: the last one is still held when the test ends.
            Assert.AreEqual(17, op.Done);
        }

        [TestMethod]
        public void SelfTest_WrongKey_IsReportedWithTheKeyGot()
        {
            BoardConfig config = Esp32DevKitC.Create();
            int[] keys = OperatorKeys(config);
            keys[3] = IndexOf(config, "9");
            ScriptedPlatform p = new ScriptedPlatform(config, new ScriptedOperator(keys), new byte[][] { null!, null! });
            DriverBoard board = new DriverBoard(config, p);
            board.Start();
            RecordingReport report = new RecordingReport();
            new FactorySelfTest(board, report, 2000).Run();
            Assert.AreEqual("FAIL key 3 got 9", report.Get(4));
        }
    }
}
