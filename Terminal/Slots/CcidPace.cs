using Terminal.Ccid;
using Terminal.Pace;
using Terminal.PinPad;

namespace Terminal.Slots
{
    /// <summary>
    /// The host's ways in to PACE (PC/SC part 10 amendment 1, BSI TR-03119) and the secure messaging that follows,
    /// for the CCID device (called by <see cref="CcidPinPad"/>): PC_to_RDR_Secure bPINOperation 10h
    /// (GetReaderPACECapabilities) and 20h (EstablishPACEChannel, or DestroyPACEChannel by its function index), the
    /// boxing pseudo-APDUs <c>FF 9A 04 01/02/03</c>, and the PPDU <c>FF C2 01 20</c> (FEATURE_EXECUTE_PACE). Once a
    /// channel is open every host APDU to that slot is wrapped and its answer unwrapped; removal, power-off, a new
    /// power-on, an SM failure, a plain error status or DestroyPACEChannel end it and wipe the keys.
    /// </summary>
    public sealed class CcidPace : ISlotSessionListener
    {
        /// <summary><see cref="Handle"/>: the command is not PACE's business.</summary>
        public const int NotOurs = -2;

        /// <summary><see cref="Handle"/>: the card could not be reached; the CCID error is in <c>error</c>.</summary>
        public const int Failed = -1;

        private readonly CardSlot[] _slots;
        private readonly PaceSession[] _sessions;
        private readonly PaceService _service;
        private readonly EstablishPaceInput _input = new EstablishPaceInput();

        /// <summary>PACE over <paramref name="slots"/> (board order) with <paramref name="service"/>; registers itself
        /// as each slot's session listener.</summary>
        public CcidPace(CardSlot[] slots, PaceService service)
        {
            _slots = slots;
            _service = service;
            _sessions = new PaceSession[slots.Length];
            for (int i = 0; i < slots.Length; i++)
            {
                _sessions[i] = new PaceSession(new SlotApduChannel(slots[i]), service.Ciphers);
                slots[i].SessionListener = this;
            }
        }

        /// <summary>The service (keypad entry, EF.CardAccess, last MSE status).</summary>
        public PaceService Service => _service;

        /// <summary>The Result of the last EstablishPACEChannel.</summary>
        public uint LastResult { get; private set; }

        /// <summary>Called after every EstablishPACEChannel / DestroyPACEChannel and when a channel ends (no password in it).</summary>
        public PaceEventHandler? Event { get; set; }

        /// <summary>The PACE session of board slot <paramref name="slot"/>.</summary>
        public PaceSession Session(int slot)
        {
            return _sessions[slot];
        }

        /// <summary>True while slot <paramref name="slot"/> has an open channel.</summary>
        public bool IsOpen(int slot)
        {
            return slot >= 0 && slot < _sessions.Length && _sessions[slot].IsOpen;
        }

        /// <inheritdoc/>
        public void SessionEnded(int slot)
        {
            if (slot >= 0 && slot < _sessions.Length && _sessions[slot].IsOpen)
            {
                _sessions[slot].Close();
                Raise(slot, PaceEvent.ChannelEnded, PaceHostResult.Success);
            }
            else if (slot >= 0 && slot < _sessions.Length)
            {
                _sessions[slot].Close();
            }
        }

        /// <summary>Ends slot <paramref name="slot"/>'s channel because the reader sends the card something in plain
        /// (a PIN operation): the card drops its keys on a plain command, so the reader drops its own.</summary>
        public void EndBeforePlainCommand(int slot)
        {
            SessionEnded(slot);
        }

        /// <summary>True for the PACE pseudo-APDUs (<c>FF 9A 04 01/02/03</c>, <c>FF C2 01 20</c>).</summary>
        public static bool IsPacePseudoApdu(byte[] apdu, int offset, int length)
        {
            if (length < 4 || apdu[offset] != 0xFF)
            {
                return false;
            }
            int ins = apdu[offset + 1];
            int p1 = apdu[offset + 2];
            int p2 = apdu[offset + 3];
            return (ins == 0x9A && p1 == 0x04 && p2 >= 0x01 && p2 <= 0x03) || (ins == 0xC2 && p1 == 0x01 && p2 == PseudoApdu.FeatureExecutePace);
        }

        /// <summary>True for a PC_to_RDR_Secure whose bPINOperation (at <paramref name="offset"/>) is PACE's (10h, 20h).</summary>
        public static bool IsPaceSecure(byte[] command, int offset, int length)
        {
            return length >= 1 && (command[offset] == 0x10 || command[offset] == 0x20);
        }

        /// <summary>
        /// PC_to_RDR_Secure with bPINOperation 10h or 20h on board slot <paramref name="slot"/> (abData from
        /// <paramref name="offset"/>, bPINOperation first). 20h takes the EstablishPACEChannel input directly, or
        /// preceded by idxFunction (02h establish, 03h destroy) and lengthInputData as in the FEATURE_EXECUTE_PACE
        /// control. The answer (the function's output; errors in its Result) goes to <paramref name="response"/>.
        /// </summary>
        public int Secure(int slot, IPinEntrySlot presence, byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            responseLength = 0;
            int p = offset + 1;
            int n = length - 1;
            int function = command[offset] == 0x10 ? 1 : 2;
            if (function == 2 && n >= 3 && (command[p] == 0x02 || command[p] == 0x03) && (command[p + 1] | (command[p + 2] << 8)) == n - 3)
            {
                function = command[p];
                p += 3;
                n -= 3;
            }
            CardSlot card = _slots[slot];
            int r;
            card.BeginReaderExchanges(-1);
            try
            {
                r = Function(slot, presence, function, false, command, p, n, response, responseOffset, responseMax);
            }
            finally
            {
                card.EndReaderExchanges();
            }
            if (r < 0)
            {
                return CcidError.BadLength;
            }
            responseLength = r;
            return CcidError.None;
        }

        /// <summary>
        /// A command APDU from the host to board slot <paramref name="slot"/>: a PACE pseudo-APDU is answered here;
        /// with an open channel any other command is protected, sent and its answer unwrapped. Returns the answer's
        /// length, <see cref="NotOurs"/>, or <see cref="Failed"/> with the CCID <paramref name="error"/>.
        /// <paramref name="hostPcb"/> is the PCB of the host's T=1 I-block that carried the command (TPDU level), or -1.
        /// </summary>
        public int Handle(int slot, int hostPcb, IPinEntrySlot presence, byte[] apdu, int offset, int length, byte[] response, int responseOffset, int capacity, out int error)
        {
            error = CcidError.None;
            bool pseudo = IsPacePseudoApdu(apdu, offset, length);
            PaceSession session = _sessions[slot];
            if (!pseudo && !session.IsOpen)
            {
                return NotOurs;
            }
            CardSlot card = _slots[slot];
            int n;
            card.BeginReaderExchanges(hostPcb);
            try
            {
                if (pseudo)
                {
                    return Pseudo(slot, presence, apdu, offset, length, response, responseOffset, capacity);
                }
                n = session.Transmit(apdu, offset, length, response, responseOffset);
            }
            finally
            {
                card.EndReaderExchanges();
            }
            if (!session.IsOpen)
            {
                Raise(slot, PaceEvent.ChannelEnded, PaceHostResult.Success);
            }
            if (n < 2)
            {
                error = CcidError.IccMute;
                return Failed;
            }
            if (n > capacity)
            {
                // A plain answer longer than one host block (T=1 TPDU level): not cut silently.
                response[responseOffset] = 0x67;
                response[responseOffset + 1] = 0x00;
                return 2;
            }
            return n;
        }

        // FF 9A 04 01/02/03 (boxing, DER) or FF C2 01 20 (PPDU: idxFunction, lengthInputData, data; binary output).
        private int Pseudo(int slot, IPinEntrySlot presence, byte[] apdu, int offset, int length, byte[] response, int responseOffset, int capacity)
        {
            int dataOffset;
            int dataLength;
            if (!DataOf(apdu, offset, length, out dataOffset, out dataLength))
            {
                return Sw(0x6700, response, responseOffset, capacity);
            }
            bool boxed = apdu[offset + 1] == 0x9A;
            int function;
            if (boxed)
            {
                function = apdu[offset + 3];
            }
            else
            {
                if (dataLength < 3 || (apdu[dataOffset + 1] | (apdu[dataOffset + 2] << 8)) != dataLength - 3)
                {
                    return Sw(0x6700, response, responseOffset, capacity);
                }
                function = apdu[dataOffset];
                if (function < 1 || function > 3)
                {
                    return Sw(0x6A80, response, responseOffset, capacity);
                }
                dataOffset += 3;
                dataLength -= 3;
            }
            if (capacity < 2)
            {
                return -1;
            }
            int n = Function(slot, presence, function, boxed, apdu, dataOffset, dataLength, response, responseOffset, capacity - 2);
            if (n < 0)
            {
                return Sw(0x6700, response, responseOffset, capacity);
            }
            response[responseOffset + n] = 0x90;
            response[responseOffset + n + 1] = 0x00;
            return n + 2;
        }

        // One PACE function: 1 capabilities, 2 establish, 3 destroy. Returns the output's length or -1 (no room).
        private int Function(int slot, IPinEntrySlot presence, int function, bool boxed, byte[] data, int offset, int length, byte[] response, int responseOffset, int capacity)
        {
            if (function == 1)
            {
                return boxed ? PaceHostOutput.CapabilitiesBoxed(response, responseOffset, capacity) : PaceHostOutput.CapabilitiesBinary(response, responseOffset, capacity);
            }
            if (function == 3)
            {
                _sessions[slot].Close();
                Raise(slot, PaceEvent.Destroyed, PaceHostResult.Success);
                if (boxed)
                {
                    return 0;
                }
                return PaceHostOutput.DestroyBinary(response, responseOffset, capacity);
            }
            uint result = boxed ? _input.ParseBoxed(data, offset, length) : _input.ParseBinary(data, offset, length);
            int mse = -1;
            int cardAccessLength = 0;
            if (result == PaceHostResult.Success)
            {
                result = _service.Establish(_sessions[slot], presence, _input, data);
                mse = _service.MseStatus;
                cardAccessLength = _service.CardAccessLength;
            }
            LastResult = result;
            Raise(slot, PaceEvent.Established, result);
            byte[] access = _service.CardAccessBytes;
            return boxed
                ? PaceHostOutput.EstablishBoxed(result, mse, access, cardAccessLength, response, responseOffset, capacity)
                : PaceHostOutput.EstablishBinary(result, mse, access, cardAccessLength, response, responseOffset, capacity);
        }

        private void Raise(int slot, PaceEvent kind, uint result)
        {
            PaceEventHandler? handler = Event;
            if (handler != null)
            {
                handler(slot, kind, result, _sessions[slot]);
            }
        }

        // The data field of a short or extended pseudo-APDU (OpenSC sends the boxed EstablishPACEChannel extended).
        private static bool DataOf(byte[] apdu, int offset, int length, out int dataOffset, out int dataLength)
        {
            if (length >= 7 && apdu[offset + 4] == 0)
            {
                int lc = (apdu[offset + 5] << 8) | apdu[offset + 6];
                dataOffset = offset + 7;
                dataLength = lc;
                return lc > 0 && (length == 7 + lc || length == 9 + lc);
            }
            return PseudoApdu.DataOf(apdu, offset, length, out dataOffset, out dataLength);
        }

        private static int Sw(int sw, byte[] response, int offset, int capacity)
        {
            return PseudoApdu.Sw(sw, response, offset, capacity);
        }
    }

    /// <summary>What happened to a slot's PACE channel.</summary>
    public enum PaceEvent
    {
        /// <summary>EstablishPACEChannel ran (its Result says how it went).</summary>
        Established = 0,

        /// <summary>DestroyPACEChannel.</summary>
        Destroyed = 1,

        /// <summary>The channel ended by itself: SM failure, plain error status, removal, power-off or reset.</summary>
        ChannelEnded = 2,
    }

    /// <summary>Tells about a PACE event on board slot <paramref name="slot"/> (never a password or key).</summary>
    public delegate void PaceEventHandler(int slot, PaceEvent kind, uint result, PaceSession session);
}
