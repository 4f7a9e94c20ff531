namespace Terminal.Tracing
{
    /// <summary>Where trace bytes go: a file on a desktop or Linux board, a file or the debug port on the ESP32.</summary>
    public interface ITraceSink
    {
        /// <summary>Appends bytes; the trace writer never keeps a reference to <paramref name="buffer"/>.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Pushes buffered bytes out (called after each record).</summary>
        void Flush();
    }
}
