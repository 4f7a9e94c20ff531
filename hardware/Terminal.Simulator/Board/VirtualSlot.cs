using System;
using System.Collections.Generic;
using Terminal.Iso7816;

namespace Terminal.Simulator
{
    /// <summary>One card slot of the virtual board: the connector, its presence switch and its card line.</summary>
    public sealed class VirtualSlot
    {
        private readonly VirtualCardLine _line;
        private readonly List<bool> _pendingEvents = new List<bool>();
        private VirtualCard? _card;

        internal VirtualSlot(int index, VirtualClock clock)
        {
            Index = index;
            _line = new VirtualCardLine(clock, this);
        }

        /// <summary>Slot number (0: Carte Vitale, 1: CPx).</summary>
        public int Index { get; }

        /// <summary>The slot's card contacts.</summary>
        public ICardLine Line => _line;

        /// <summary>The slot's card contacts with the simulator's extra views (contact state, counters).</summary>
        public VirtualCardLine VirtualLine => _line;

        /// <summary>The card in the slot, or null.</summary>
        public VirtualCard? Card => _card;

        /// <summary>Card clock frequency in Hz (4 MHz by default).</summary>
        public int ClockHz
        {
            get => _line.ClockHz;
            set => _line.SetClockHz(value);
        }

        /// <summary>Raised after a card was inserted (true) or removed (false), outside the line's lock.</summary>
        public event EventHandler<bool>? PresenceChanged;

        /// <summary>Inserts a card; a card already there is removed first.</summary>
        public void Insert(VirtualCard card)
        {
            lock (_line.SyncRoot)
            {
                if (_card != null) { RemoveLocked(_line.NowCycles); }
                _card = card;
                _line.OnCardInserted(card);
                _pendingEvents.Add(true);
            }
            RaisePendingEvents();
        }

        /// <summary>Inserts the card of a profile name.</summary>
        public VirtualCard Insert(string profileName)
        {
            VirtualCard card = VirtualCard.FromProfile(profileName);
            Insert(card);
            return card;
        }

        /// <summary>Pulls the card out (nothing when the slot is empty); returns the card.</summary>
        public VirtualCard? Remove()
        {
            VirtualCard? card;
            lock (_line.SyncRoot)
            {
                card = _card;
                if (card != null) { RemoveLocked(_line.NowCycles); }
            }
            RaisePendingEvents();
            return card;
        }

        internal void RemoveLocked(long at)
        {
            VirtualCard? card = _card;
            if (card == null) { return; }
            _card = null;
            _line.CardLeft(card, at);
            _pendingEvents.Add(false);
        }

        internal void RaisePendingEvents()
        {
            bool[] events;
            lock (_line.SyncRoot)
            {
                if (_pendingEvents.Count == 0) { return; }
                events = _pendingEvents.ToArray();
                _pendingEvents.Clear();
            }
            foreach (bool present in events)
            {
                PresenceChanged?.Invoke(this, present);
            }
        }
    }
}
