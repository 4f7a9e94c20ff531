using Terminal.Boards;
using Terminal.Ccid;
using Terminal.Core;
using Terminal.PinPad;
using Terminal.Slots;

namespace Terminal.Esp32
{
    /// <summary>
    /// The firmware on the ESP32 board: the same <see cref="ReaderCore"/> as `terminal run` on the
    /// virtual and Linux boards (slots, CCID device, PIN pad, host link), over the host UART (COM3 to
    /// the USB-UART bridge), as a SEC1210 until the host's driver asks for GemPCPinPad. A PIN in clear
    /// from the host to the CPx slot is refused (6982), as by default on the desktop.
    /// </summary>
    internal static class Firmware
    {
        internal static void Run(DriverBoard board, IHostPort host, ISelfTestReport console)
        {
            ReaderCore core = new ReaderCore(board, new HostPortStream(host), new BoardWallClock(board.Clock),
                ReaderProfile.Sec1210, true, null, null);
            ConsoleLog log = new ConsoleLog(console);
            core.Device.ProfileChanged += log.OnProfileChanged;
            CcidPinPad? pinPad = core.PinPad;
            if (pinPad != null)
            {
                pinPad.OperationFinished = log.OnPinOperation;
            }
            core.ShowIdle();
            console.Line($"host link: {board.Config.HostUart} {board.Config.HostBaudRate} baud, reader type {ReaderProfile.Sec1210.Name}");
            // The receive loop, on this thread, for as long as the unit is powered.
            core.Run();
        }
    }

    /// <summary>Firmware events as console lines (UART0): profile switches and PIN operations, never a PIN digit.</summary>
    internal sealed class ConsoleLog
    {
        private readonly ISelfTestReport _console;

        internal ConsoleLog(ISelfTestReport console)
        {
            _console = console;
        }

        internal void OnProfileChanged(ReaderProfile profile)
        {
            _console.Line($"the host's driver asks for reader type {profile.Name}");
        }

        internal void OnPinOperation(SecurePinResult result, bool buffersClear)
        {
            _console.Line(ReaderCore.Describe(result, buffersClear));
        }
    }
}
