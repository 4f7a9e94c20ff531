using System;

namespace Terminal.Simulator
{
    /// <summary>
    /// The virtual board: one clock, two card slots, a keypad, a 2x16 display, LEDs and a buzzer.
    /// Terminal binds it to its IBoard interfaces in Terminal/Desktop/VirtualBoard/.
    /// </summary>
    public sealed class VirtualBoard
    {
        /// <summary>Makes a board with empty slots.</summary>
        public VirtualBoard(int slotCount = 2)
        {
            Clock = new VirtualClock();
            var slots = new VirtualSlot[slotCount];
            for (int i = 0; i < slotCount; i++) { slots[i] = new VirtualSlot(i, Clock); }
            Slots = slots;
            Keypad = new VirtualKeypad(Clock);
            Display = new VirtualDisplay(Clock);
            Indicators = new VirtualIndicators(Clock, slotCount);
        }

        /// <summary>A board with the cards of two profile names (null leaves a slot empty).</summary>
        public static VirtualBoard Create(string? slot0Profile, string? slot1Profile)
        {
            var board = new VirtualBoard();
            if (slot0Profile != null) { board.Slots[0].Insert(VirtualCard.FromProfile(slot0Profile)); }
            if (slot1Profile != null) { board.Slots[1].Insert(VirtualCard.FromProfile(slot1Profile)); }
            return board;
        }

        /// <summary>The board's one clock.</summary>
        public VirtualClock Clock { get; }

        /// <summary>The slots (0: Carte Vitale, 1: CPx).</summary>
        public VirtualSlot[] Slots { get; }

        /// <summary>The keypad.</summary>
        public VirtualKeypad Keypad { get; }

        /// <summary>The display.</summary>
        public VirtualDisplay Display { get; }

        /// <summary>LEDs and buzzer.</summary>
        public VirtualIndicators Indicators { get; }

        /// <summary>Highest card UART rate the virtual board claims (bps).</summary>
        public int MaxDataRate { get; set; } = 500_000;

        /// <summary>CCID bVoltageSupport bits (1 = A, 2 = B, 4 = C).</summary>
        public int VoltageSupport { get; set; } = 0x07;
    }
}
