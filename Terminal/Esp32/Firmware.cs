using Terminal.Boards;

namespace Terminal.Esp32
{
    /// <summary>
    /// INTEGRATION POINT with the firmware above the board: host link (Terminal/HostLink), CCID device
    /// (Terminal/Ccid) and slots (Terminal/Slots), built on branch `ccid`. This is the only place the
    /// ESP32 entry point names them.
    /// </summary>
    /// <remarks>
    /// What the integration has to do here, with the types of that branch:
    /// build the slots over <c>board.GetCardLine(i)</c>, the CCID device over the slots with the
    /// SEC1210 profile (two slots, automatic PPS, <c>board.MaxDataRate</c>, <c>board.VoltageSupport</c>),
    /// the serial host link over <paramref name="host"/> (115200 8N2), subscribe
    /// <c>board.CardChanged</c> to the device's slot-change notification, and run the link's receive
    /// loop on this thread. Until that branch is merged the board runs without a host link and says so.
    /// </remarks>
    internal static class Firmware
    {
        internal static void Run(DriverBoard board, IHostPort host, ISelfTestReport console)
        {
            console.Line("host link: not integrated in this build (branch ccid); board drivers running");
            ITextDisplay? display = board.Display;
            if (display != null)
            {
                display.Show(1, "Sans lien hote");
            }
        }
    }
}
