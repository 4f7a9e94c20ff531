namespace Terminal.Desktop.Run
{
    /// <summary>The options of `terminal run`, as given.</summary>
    internal sealed class RunOptions
    {
        // Null where not given: the board decides (the virtual board: vitale2, cps3, pty; a Linux board
        // refuses slot cards and takes its host link from the board file).
        public string? Slot0;
        public string? Slot1;
        public string? Link;
        public string Profile = "sec1210";
        public string? Keys;
        public string Board = "virtual";
        public string? Trace;
        public string LogLevel = "info";
        public string? Pace;
        public string ClearPin = "refuse";
    }
}
