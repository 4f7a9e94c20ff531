namespace Terminal.Desktop.Run
{
    /// <summary>The options of `terminal run`, as given.</summary>
    internal sealed class RunOptions
    {
        public string Slot0 = "vitale2";
        public string Slot1 = "cps3";
        public string Link = "pty";
        public string Profile = "sec1210";
        public string? Keys;
        public string Board = "virtual";
        public string? Trace;
        public string LogLevel = "info";
        public string? Pace;
        public string ClearPin = "refuse";
    }
}
