using System.Collections;
using nanoFramework.TestFramework;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>A 4x4 matrix in virtual time: contacts close and bounce by script; the columns see the driven row.</summary>
    public sealed class FakeMatrix
    {
        /// <summary>Virtual time.</summary>
        public readonly FakeClock Clock = new FakeClock();

        /// <summary>Row outputs.</summary>
        public readonly FakeOutputPin[] Rows = new FakeOutputPin[4];

        /// <summary>Column inputs.</summary>
        public readonly IInputPin[] Columns = new IInputPin[4];

        private readonly ArrayList _closures = new ArrayList();
        private readonly EventLog _log = new EventLog();

        /// <summary>Builds it.</summary>
        public FakeMatrix()
        {
            for (int i = 0; i < 4; i++)
            {
                Rows[i] = new FakeOutputPin("ROW" + i, _log, Clock);
                Columns[i] = new Column(this, i);
            }
        }

        /// <summary>Key index (row * 4 + column) closed from <paramref name="fromMs"/> to <paramref name="toMs"/> (virtual).</summary>
        public void Close(int key, long fromMs, long toMs)
        {
            _closures.Add(new long[] { key, fromMs, toMs });
        }

        /// <summary>A press with 1 ms bounces for its first and last 6 ms.</summary>
        public void BouncyPress(int key, long fromMs, long toMs)
        {
            for (long t = fromMs; t < fromMs + 6; t += 2)
            {
                Close(key, t, t + 1);
            }
            Close(key, fromMs + 6, toMs - 6);
            for (long t = toMs - 6; t < toMs; t += 2)
            {
                Close(key, t, t + 1);
            }
        }

        private bool ColumnLow(int column)
        {
            long now = Clock.NowMilliseconds;
            for (int i = 0; i < _closures.Count; i++)
            {
                long[] c = (long[])_closures[i]!;
                int key = (int)c[0];
                if (key % 4 == column && now >= c[1] && now < c[2] && !Rows[key / 4].Level)
                {
                    return true;
                }
            }
            return false;
        }

        private sealed class Column : IInputPin
        {
            private readonly FakeMatrix _matrix;
            private readonly int _index;

            public Column(FakeMatrix matrix, int index)
            {
                _matrix = matrix;
                _index = index;
            }

            // Polled by the keypad: no edge events.
            public event PinChangedHandler Changed
            {
                add { }
                remove { }
            }

            public bool Read()
            {
                return !_matrix.ColumnLow(_index);
            }
        }
    }

    /// <summary>Keypad matrix scan, debouncing and the key queue.</summary>
    [TestClass]
    public class MatrixKeypadTests
    {
        private static MatrixKeypad Keypad(FakeMatrix m)
        {
            return new MatrixKeypad(m.Rows, m.Columns, Esp32DevKitC.Create().KeypadMap(), m.Clock, 5, 4);
        }

        [TestMethod]
        public void Debounce_BouncyPress_GivesExactlyOneKey()
        {
            FakeMatrix m = new FakeMatrix();
            m.BouncyPress(5, 10, 120);
            MatrixKeypad keypad = Keypad(m);
            Assert.AreEqual((int)Key.Digit5, (int)keypad.ReadKey(1000));
            Assert.AreEqual((int)Key.None, (int)keypad.ReadKey(1000));
        }

        [TestMethod]
        public void Debounce_ContactShorterThanDebounceTime_IsNoKey()
        {
            FakeMatrix m = new FakeMatrix();
            m.Close(0, 10, 22);
            MatrixKeypad keypad = Keypad(m);
            Assert.AreEqual(20, keypad.DebounceMilliseconds);
            Assert.AreEqual((int)Key.None, (int)keypad.ReadKey(300));
        }

        [TestMethod]
        public void HeldKey_CountsOnce_AndSecondPressAfterReleaseCountsAgain()
        {
            FakeMatrix m = new FakeMatrix();
            m.BouncyPress(13, 10, 800);
            m.BouncyPress(13, 900, 1000);
            MatrixKeypad keypad = Keypad(m);
            Assert.AreEqual((int)Key.Digit0, (int)keypad.ReadKey(2000));
            Assert.AreEqual((int)Key.Digit0, (int)keypad.ReadKey(2000));
            Assert.IsTrue(m.Clock.NowMilliseconds >= 900, "the second press came after the release");
            Assert.AreEqual((int)Key.None, (int)keypad.ReadKey(500));
        }

        [TestMethod]
        public void TwoKeysAtOnce_NoKey_UntilAllReleased()
        {
            FakeMatrix m = new FakeMatrix();
            m.Close(0, 10, 200);
            m.Close(1, 10, 200);
            m.Close(2, 300, 400);
            MatrixKeypad keypad = Keypad(m);
            Assert.AreEqual((int)Key.Digit3, (int)keypad.ReadKey(1000));
        }

        [TestMethod]
        public void RollingPress_SecondKeyWhileFirstHeld_IsNotEntered()
        {
            FakeMatrix m = new FakeMatrix();
            m.Close(0, 10, 200);
            m.Close(1, 100, 300);
            MatrixKeypad keypad = Keypad(m);
            Assert.AreEqual((int)Key.Digit1, (int)keypad.ReadKey(1000));
            Assert.AreEqual((int)Key.None, (int)keypad.ReadKey(500));
        }

        [TestMethod]
        [DataRow(3, 11)]
        [DataRow(7, 12)]
        [DataRow(15, 10)]
        [DataRow(13, 0)]
        public void Layout_ReferenceKeypad_FunctionKeysInTheRightColumn(int index, int expectedKey)
        {
            FakeMatrix m = new FakeMatrix();
            m.Close(index, 0, 100);
            MatrixKeypad keypad = Keypad(m);
            Assert.AreEqual(expectedKey, (int)keypad.ReadKey(500));
        }

        [TestMethod]
        public void Flush_ForgetsQueuedPresses()
        {
            FakeMatrix m = new FakeMatrix();
            m.Close(0, 0, 50);
            MatrixKeypad keypad = Keypad(m);
            for (int i = 0; i < 20; i++)
            {
                keypad.Scan();
                m.Clock.Advance(5);
            }
            keypad.Flush();
            Assert.AreEqual((int)Key.None, (int)keypad.ReadKey(100));
        }

        [TestMethod]
        public void ScanRaw_DrivesOneRowAtATime_AndReportsTheCombination()
        {
            FakeMatrix m = new FakeMatrix();
            m.Close(7, 0, 100);
            m.Close(15, 0, 100);
            MatrixKeypad keypad = Keypad(m);
            int mask = keypad.ScanRaw();
            Assert.AreEqual(keypad.MaskOf(Key.Correction) | keypad.MaskOf(Key.Ok), mask);
            for (int r = 0; r < 4; r++)
            {
                Assert.IsFalse(m.Rows[r].Level, "rows armed (all low) after the scan");
            }
        }

        [TestMethod]
        public void IdleScan_ReadsEachColumnOnceAndDrivesNoRow()
        {
            FakeMatrix m = new FakeMatrix();
            MatrixKeypad keypad = Keypad(m);
            int writes = m.Rows[0].Writes + m.Rows[1].Writes + m.Rows[2].Writes + m.Rows[3].Writes;
            for (int i = 0; i < 100; i++)
            {
                keypad.Scan();
            }
            Assert.AreEqual(writes, m.Rows[0].Writes + m.Rows[1].Writes + m.Rows[2].Writes + m.Rows[3].Writes);
            m.Close(6, 0, 1000);
            Assert.AreEqual((int)Key.Digit6, (int)keypad.ReadKey(500));
        }
    }
}
