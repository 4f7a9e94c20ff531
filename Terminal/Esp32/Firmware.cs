using Terminal.Boards;

namespace Terminal.Esp32
{
    /// <summary>
    /// INTEGRATION POINT with the firmware above the board: host link (Terminal/HostLink), CCID device
    /// (Terminal/Ccid) and slots (Terminal/Slots), built on branch `ccid`. This is the only place the
    /// ESP32 entry point names them.
    /// </summary>
    /// <remarks>
    /// What the integration has to do here, with the types of that branch (as its desktop Runner does
    /// for the virtual board):
    /// <code>
    /// CardSlot[] slots = new CardSlot[board.SlotCount];
    /// for (int i = 0; i &lt; slots.Length; i++)
    /// {
    ///     slots[i] = new CardSlot(i, board.GetCardLine(i), board.Indicators, board.VoltageSupport, board.MaxDataRate);
    ///     slots[i].ReaderDoesPps = ReaderProfile.Sec1210.ReaderDoesPps;
    /// }
    /// CcidDevice device = new CcidDevice(slots, ReaderProfile.Sec1210, FirmwareInfo.Version, 0);
    /// // IHostPort.Read/Write have IByteStream's contract (it never reports NoHost: a UART has no "no host").
    /// SerialHostLink link = new SerialHostLink(new HostPortStream(host), device, new BoardWallClock(board.Clock));
    /// board.CardChanged += slot => ...;   // the device's slot-change notification (NotifySlotChange)
    /// link.Run();                          // the receive loop, on this thread
    /// </code>
    /// Until that branch is merged the board runs without a host link and says so.
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
