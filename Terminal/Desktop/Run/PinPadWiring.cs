using Terminal.Boards;
using Terminal.Ccid;
using Terminal.PinPad;
using Terminal.Slots;

namespace Terminal.Desktop.Run
{
    /// <summary>
    /// Installs the PIN pad in a CCID device the way the firmware runs it: the secure PIN service on
    /// the board's keypad, display, LEDs and clock, the modify-structure layout that follows the
    /// reader type (GemPC Pinpad hosts always send three message indexes), the clear-PIN policy on the
    /// CPx slot, and the pseudo-APDU answers. `terminal run` and `terminal conformance` share it, so
    /// the catalogue's PIN cases test what a host meets.
    /// </summary>
    internal static class PinPadWiring
    {
        /// <summary>Creates the PIN pad over <paramref name="slots"/> and makes it <paramref name="device"/>'s secure handler.</summary>
        /// <param name="device">The CCID device (its profile picks the modify layout, now and on a profile switch).</param>
        /// <param name="slots">The board's card slots, by physical index.</param>
        /// <param name="board">Keypad, display, LEDs and clock.</param>
        /// <param name="refuseClearPin">True to refuse, with 6982, a PIN sent in clear by the host to the CPx slot.</param>
        /// <param name="firmware">The firmware string of GET_TLV_PROPERTIES and GetReaderInfo.</param>
        internal static CcidPinPad Install(CcidDevice device, CardSlot[] slots, IBoard board, bool refuseClearPin, string firmware)
        {
            SecurePinService pins = new SecurePinService(board.Keypad!, board.Display, board.Indicators, board.Clock);
            pins.ModifyLayout = LayoutFor(device.Profile);
            device.ProfileChanged += p => pins.ModifyLayout = LayoutFor(p);
            PinPolicy policy = new PinPolicy(board.SlotCount);
            policy.SetEnforced(PinPolicy.CpxSlot, refuseClearPin);
            ReaderProperties readerInfo = new ReaderProperties { FirmwareVersion = "0.1.0", FirmwareId = firmware };
            CcidPinPad pinPad = new CcidPinPad(device, slots, pins, readerInfo, policy);
            device.SecureHandler = pinPad;
            return pinPad;
        }

        private static MessageIndexLayout LayoutFor(ReaderProfile profile)
        {
            return profile == ReaderProfile.GemPcPinPad ? MessageIndexLayout.AlwaysThree : MessageIndexLayout.Auto;
        }
    }
}
