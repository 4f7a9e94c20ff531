using System;
using Terminal.Boards;
using Terminal.Iso7816;
using Sim = Terminal.Simulator;

namespace Terminal.Desktop.VirtualBoard
{
    /// <summary>
    /// The firmware's <see cref="IBoard"/> over the simulator's virtual board (desktop only): the
    /// slots' virtual card lines, the virtual keypad, display, indicators and the board's one clock.
    /// </summary>
    public sealed class VirtualBoardBinding : IBoard
    {
        private readonly Sim.VirtualBoard _board;

        /// <summary>Binds <paramref name="board"/>.</summary>
        public VirtualBoardBinding(Sim.VirtualBoard board)
        {
            _board = board;
            Keypad = new VirtualKeypadBinding(board.Keypad);
            Display = new VirtualDisplayBinding(board.Display);
            Indicators = new VirtualIndicatorsBinding(board.Indicators);
            Clock = new VirtualClockBinding(board.Clock);
        }

        /// <summary>The simulated board behind the binding (tests drive cards, keys and time through it).</summary>
        public Sim.VirtualBoard Board => _board;

        /// <inheritdoc/>
        public string Name => "virtual";

        /// <inheritdoc/>
        public int SlotCount => _board.Slots.Length;

        /// <inheritdoc/>
        public ICardLine GetCardLine(int slot) => _board.Slots[slot].Line;

        /// <inheritdoc/>
        public int VoltageSupport => _board.VoltageSupport;

        /// <inheritdoc/>
        public int MaxDataRate => _board.MaxDataRate;

        /// <inheritdoc/>
        public IKeypad? Keypad { get; }

        /// <inheritdoc/>
        public ITextDisplay? Display { get; }

        /// <inheritdoc/>
        public IIndicators Indicators { get; }

        /// <inheritdoc/>
        public IClock Clock { get; }
    }

    /// <summary>The virtual keypad as an <see cref="IKeypad"/>.</summary>
    public sealed class VirtualKeypadBinding : IKeypad
    {
        private readonly Sim.VirtualKeypad _keypad;

        /// <summary>Binds a virtual keypad.</summary>
        public VirtualKeypadBinding(Sim.VirtualKeypad keypad) { _keypad = keypad; }

        /// <inheritdoc/>
        public Key ReadKey(int timeoutMilliseconds) => ToKey(_keypad.ReadKey(timeoutMilliseconds));

        /// <inheritdoc/>
        public void Flush() => _keypad.Flush();

        /// <summary>The key of a simulator key character ('0'-'9', 'K', 'C', 'R'; anything else is none).</summary>
        public static Key ToKey(char c)
        {
            if (c >= '0' && c <= '9') { return (Key)(c - '0'); }
            switch (c)
            {
                case 'K': return Key.Ok;
                case 'C': return Key.Cancel;
                case 'R': return Key.Correction;
                default: return Key.None;
            }
        }
    }

    /// <summary>The virtual 2x16 display as an <see cref="ITextDisplay"/>.</summary>
    public sealed class VirtualDisplayBinding : ITextDisplay
    {
        private readonly Sim.VirtualDisplay _display;

        /// <summary>Binds a virtual display.</summary>
        public VirtualDisplayBinding(Sim.VirtualDisplay display) { _display = display; }

        /// <inheritdoc/>
        public int Rows => _display.Rows;

        /// <inheritdoc/>
        public int Columns => _display.Columns;

        /// <inheritdoc/>
        public void Show(int row, string text) => _display.Show(row, text);

        /// <inheritdoc/>
        public void Clear() => _display.Clear();
    }

    /// <summary>The virtual LEDs and buzzer as <see cref="IIndicators"/>.</summary>
    public sealed class VirtualIndicatorsBinding : IIndicators
    {
        private readonly Sim.VirtualIndicators _indicators;

        /// <summary>Binds virtual indicators.</summary>
        public VirtualIndicatorsBinding(Sim.VirtualIndicators indicators) { _indicators = indicators; }

        /// <inheritdoc/>
        public void SetSecureMode(bool on) => _indicators.SetSecureMode(on);

        /// <inheritdoc/>
        public void SetCardAccess(int slot, bool on) => _indicators.SetCardAccess(slot, on);

        /// <inheritdoc/>
        public void Beep(int milliseconds) => _indicators.Beep(milliseconds);
    }

    /// <summary>The board's virtual clock as the firmware's millisecond <see cref="IClock"/>.</summary>
    public sealed class VirtualClockBinding : IClock
    {
        private readonly Sim.VirtualClock _clock;

        /// <summary>Binds a virtual clock.</summary>
        public VirtualClockBinding(Sim.VirtualClock clock) { _clock = clock; }

        /// <inheritdoc/>
        public long NowMilliseconds => _clock.NowMilliseconds;

        /// <inheritdoc/>
        public void Sleep(int milliseconds)
        {
            if (milliseconds > 0) { _clock.AdvancePicoseconds(milliseconds * 1_000_000_000L); }
        }
    }
}
