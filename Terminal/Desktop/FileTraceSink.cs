using System;
using System.IO;
using Terminal.Tracing;

namespace Terminal.Desktop
{
    /// <summary>A trace written to a file (desktop and Linux boards).</summary>
    internal sealed class FileTraceSink : ITraceSink, IDisposable
    {
        private readonly FileStream _file;

        public FileTraceSink(string path)
        {
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        }

        public void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

        public void Flush() => _file.Flush();

        public void Dispose() => _file.Dispose();
    }
}
