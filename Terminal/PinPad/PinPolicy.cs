namespace Terminal.PinPad
{
    /// <summary>
    /// Refuses PINs in clear from the host while secure PIN entry is enforced for a slot (gemSpec_KT:
    /// the PIN of the professional card is typed on the terminal only). Enforced by default for slot 1,
    /// the CPx slot; configurable per slot from the board configuration.
    /// </summary>
    public sealed class PinPolicy
    {
        /// <summary>The CPx slot.</summary>
        public const int CpxSlot = 1;

        private readonly bool[] _enforced;

        /// <summary>A policy for <paramref name="slotCount"/> slots, enforced on <see cref="CpxSlot"/> only.</summary>
        public PinPolicy(int slotCount)
        {
            _enforced = new bool[slotCount < 1 ? 1 : slotCount];
            if (CpxSlot < _enforced.Length)
            {
                _enforced[CpxSlot] = true;
            }
        }

        /// <summary>Whether the slot refuses PINs in clear.</summary>
        public bool IsEnforced(int slot)
        {
            return slot >= 0 && slot < _enforced.Length && _enforced[slot];
        }

        /// <summary>Turns the policy on or off for a slot.</summary>
        public void SetEnforced(int slot, bool enforced)
        {
            if (slot >= 0 && slot < _enforced.Length)
            {
                _enforced[slot] = enforced;
            }
        }

        /// <summary>
        /// 6982 when the host's command must be refused on <paramref name="slot"/>, 0 when it may go to
        /// the card. The command is a command APDU or the start of one (the first block of a T=1 chain
        /// holds the header and Lc).
        /// </summary>
        public int Check(int slot, byte[] apdu, int offset, int length)
        {
            return IsEnforced(slot) && IsClearPinCommand(apdu, offset, length) ? PinStatus.SecurityNotSatisfied : 0;
        }

        /// <summary>
        /// True for VERIFY (INS 20h/21h), CHANGE REFERENCE DATA (24h/25h) and RESET RETRY COUNTER
        /// (2Ch/2Dh) with a data field, which can only be a PIN, an unblock code or a new PIN in clear.
        /// The same commands without data are not: VERIFY with no data asks for the tries left, RESET
        /// RETRY COUNTER P1 03h carries nothing. Any class but FFh (the reader's own pseudo-APDUs)
        /// counts, proprietary ones included, since a card may well honour them. A 5-byte command with a
        /// non-zero P3 counts as carrying data: no PIN command has an Le, and over T=0 that byte is Lc.
        /// </summary>
        public static bool IsClearPinCommand(byte[] apdu, int offset, int length)
        {
            if (apdu == null || length < 5 || offset < 0 || offset + length > apdu.Length)
            {
                return false;
            }

            if (apdu[offset] == 0xFF)
            {
                return false;
            }

            int ins = apdu[offset + 1] & 0xFE;
            if (ins != 0x20 && ins != 0x24 && ins != 0x2C)
            {
                return false;
            }

            if (apdu[offset + 4] != 0)
            {
                return true;
            }

            // Extended length: 00 then a two-byte Lc when data follows.
            return length >= 8 && ((apdu[offset + 5] | apdu[offset + 6]) != 0);
        }
    }
}
