namespace Terminal.Boards
{
    /// <summary>Short busy waits the HD44780 needs between transfers.</summary>
    public interface IMicroDelay
    {
        /// <summary>Lets at least <paramref name="microseconds"/> pass.</summary>
        void DelayMicroseconds(int microseconds);
    }

    /// <summary>How nibbles reach an HD44780 in 4-bit mode (R/W tied low: the driver never reads).</summary>
    public interface IHd44780Bus
    {
        /// <summary>
        /// Puts RS and D7..D4 = <paramref name="nibble"/> on the bus with E low, then pulses E; the
        /// controller latches on the falling edge.
        /// </summary>
        void WriteNibble(bool registerSelect, int nibble);
    }

    /// <summary>The bus on six GPIOs (RS, E, D4-D7).</summary>
    public sealed class GpioHd44780Bus : IHd44780Bus
    {
        private readonly IOutputPin _rs;
        private readonly IOutputPin _e;
        private readonly IOutputPin[] _data;

        /// <summary>Takes RS, E and D4, D5, D6, D7 (in that order in <paramref name="data"/>).</summary>
        public GpioHd44780Bus(IOutputPin rs, IOutputPin e, IOutputPin[] data)
        {
            _rs = rs;
            _e = e;
            _data = data;
            _e.Write(false);
        }

        /// <inheritdoc />
        public void WriteNibble(bool registerSelect, int nibble)
        {
            _rs.Write(registerSelect);
            for (int i = 0; i < 4; i++)
            {
                _data[i].Write((nibble & (1 << i)) != 0);
            }
            _e.Write(true);
            _e.Write(false);
        }
    }

    /// <summary>
    /// The bus on outputs of the 74HC595 chain: three latches a nibble (RS and data with E low, E high,
    /// E low), so that RS is set up before E rises and data are held past its fall.
    /// </summary>
    public sealed class ShiftRegisterHd44780Bus : IHd44780Bus
    {
        private readonly ShiftRegisterOutputs _register;
        private readonly int _rs;
        private readonly int _e;
        private readonly int[] _data;

        /// <summary>Takes the chain and the output numbers of RS, E and D4-D7.</summary>
        public ShiftRegisterHd44780Bus(ShiftRegisterOutputs register, int rs, int e, int[] data)
        {
            _register = register;
            _rs = rs;
            _e = e;
            _data = data;
        }

        /// <inheritdoc />
        public void WriteNibble(bool registerSelect, int nibble)
        {
            lock (_register.SyncRoot)
            {
                _register.Set(_e, false);
                _register.Set(_rs, registerSelect);
                for (int i = 0; i < 4; i++)
                {
                    _register.Set(_data[i], (nibble & (1 << i)) != 0);
                }
                _register.Latch();
                _register.Set(_e, true);
                _register.Latch();
                _register.Set(_e, false);
                _register.Latch();
            }
        }
    }

    /// <summary>
    /// A 16x2 (or other size) HD44780 character display in 4-bit mode, write only.
    /// </summary>
    /// <remarks>
    /// <see cref="Initialize"/> runs the datasheet's "initializing by instruction" sequence for 4-bit
    /// operation (Hitachi HD44780U, figure 24): more than 40 ms after VCC reaches 2.7 V, function set
    /// 0x3 three times with waits of more than 4.1 ms and 100 µs, 0x2 to enter 4-bit mode, then function
    /// set 0x28 (two lines, 5x8 dots), display off 0x08, clear 0x01, entry mode 0x06 (increment, no
    /// shift) and display on 0x0C. Commands wait their execution time (37 µs, 1.52 ms for clear) since
    /// the busy flag cannot be read with R/W tied low. <see cref="Show"/> rewrites only the characters
    /// that changed, which keeps PIN-entry echo fast through the shift register.
    /// </remarks>
    public sealed class Hd44780Display : ITextDisplay
    {
        private readonly IHd44780Bus _bus;
        private readonly IClock _clock;
        private readonly IMicroDelay _delay;
        private readonly int _rows;
        private readonly int _columns;
        private readonly char[] _shadow;

        /// <summary>Builds the driver; call <see cref="Initialize"/> before anything else.</summary>
        public Hd44780Display(IHd44780Bus bus, IClock clock, IMicroDelay delay, int rows, int columns)
        {
            _bus = bus;
            _clock = clock;
            _delay = delay;
            _rows = rows;
            _columns = columns;
            _shadow = new char[rows * columns];
        }

        /// <inheritdoc />
        public int Rows
        {
            get { return _rows; }
        }

        /// <inheritdoc />
        public int Columns
        {
            get { return _columns; }
        }

        /// <summary>The datasheet's initialisation by instruction, ending with a blank display on.</summary>
        public void Initialize()
        {
            _clock.Sleep(50);
            _bus.WriteNibble(false, 0x3);
            _clock.Sleep(5);
            _bus.WriteNibble(false, 0x3);
            _delay.DelayMicroseconds(150);
            _bus.WriteNibble(false, 0x3);
            _delay.DelayMicroseconds(50);
            _bus.WriteNibble(false, 0x2);
            _delay.DelayMicroseconds(50);
            Command(_rows > 1 ? 0x28 : 0x20);
            Command(0x08);
            Command(0x01);
            Command(0x06);
            Command(0x0C);
            for (int i = 0; i < _shadow.Length; i++)
            {
                _shadow[i] = ' ';
            }
        }

        /// <inheritdoc />
        public void Show(int row, string text)
        {
            if (row < 0 || row >= _rows)
            {
                return;
            }
            int run = -1;
            for (int col = 0; col < _columns; col++)
            {
                char c = col < text.Length ? Printable(text[col]) : ' ';
                int at = row * _columns + col;
                if (_shadow[at] == c)
                {
                    run = -1;
                    continue;
                }
                if (run < 0)
                {
                    Command(0x80 | Address(row, col));
                    run = col;
                }
                Data(c);
                _shadow[at] = c;
            }
        }

        /// <inheritdoc />
        public void Clear()
        {
            Command(0x01);
            for (int i = 0; i < _shadow.Length; i++)
            {
                _shadow[i] = ' ';
            }
        }

        /// <summary>Shows a pattern that lights every dot of every cell (character 0xFF), for the factory self-test.</summary>
        public void ShowAllDots()
        {
            for (int row = 0; row < _rows; row++)
            {
                Command(0x80 | Address(row, 0));
                for (int col = 0; col < _columns; col++)
                {
                    Write(true, 0xFF);
                    _shadow[row * _columns + col] = '\u00FF';
                }
            }
        }

        private static int Address(int row, int col)
        {
            // DDRAM: line 1 at 0x00, line 2 at 0x40; lines 3 and 4 of 20x4 parts continue lines 1 and 2.
            int start = (row & 1) == 0 ? 0x00 : 0x40;
            if (row >= 2)
            {
                start += 20;
            }
            return start + col;
        }

        private static char Printable(char c)
        {
            // The A00 character ROM matches ASCII from 0x20 to 0x7D except '\' (yen); keep to it.
            if (c < ' ' || c > '}' || c == '\\')
            {
                return '?';
            }
            return c;
        }

        private void Command(int command)
        {
            Write(false, command);
            if (command == 0x01 || command == 0x02 || command == 0x03)
            {
                _clock.Sleep(2);
            }
            else
            {
                _delay.DelayMicroseconds(40);
            }
        }

        private void Data(char c)
        {
            Write(true, c);
            _delay.DelayMicroseconds(40);
        }

        private void Write(bool registerSelect, int value)
        {
            _bus.WriteNibble(registerSelect, (value >> 4) & 0x0F);
            _bus.WriteNibble(registerSelect, value & 0x0F);
        }
    }
}
