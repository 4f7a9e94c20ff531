using Terminal.Boards;
using Terminal.Ccid;
using Terminal.Core;
using Terminal.PinPad;
using Terminal.Slots;

namespace Terminal.Desktop.Run
{
    /// <summary>
    /// The PIN pad for a CCID device the conformance runner builds itself: installed exactly as the
    /// firmware core does (<see cref="ReaderCore.InstallPinPad"/>), with the modify layout following
    /// the device's profile switches, so the catalogue's PIN cases test what a host meets.
    /// </summary>
    internal static class PinPadWiring
    {
        /// <summary>Creates the PIN pad over <paramref name="slots"/> and makes it <paramref name="device"/>'s secure handler.</summary>
        /// <param name="device">The CCID device (its profile picks the modify layout, now and on a profile switch).</param>
        /// <param name="slots">The board's card slots, by physical index.</param>
        /// <param name="board">Keypad, display, LEDs and clock.</param>
        /// <param name="refuseClearPin">True to refuse, with 6982, a PIN sent in clear by the host to the CPx slot.</param>
        internal static CcidPinPad Install(CcidDevice device, CardSlot[] slots, IBoard board, bool refuseClearPin)
        {
            CcidPinPad pinPad = ReaderCore.InstallPinPad(device, slots, board, refuseClearPin, ReaderCore.NewProperties(), out SecurePinService pins);
            device.ProfileChanged += p => pins.ModifyLayout = ReaderCore.LayoutFor(p);
            return pinPad;
        }
    }
}
