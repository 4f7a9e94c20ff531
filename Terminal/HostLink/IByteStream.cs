namespace Terminal.HostLink
{
    /// <summary>
    /// A byte stream to the host: a UART, a pseudo-terminal or a TCP connection. Implementations
    /// reconnect by themselves (a new TCP client, pcscd reopening the pty); the link only sees
    /// bytes, timeouts and "no host".
    /// </summary>
    public interface IByteStream
    {
        /// <summary>
        /// Waits at most <paramref name="timeoutMilliseconds"/> for bytes and copies those available
        /// (at most <paramref name="count"/>). Returns the number copied; 0 on timeout;
        /// <see cref="ByteStream.NoHost"/> while no host is connected (after waiting up to the timeout).
        /// </summary>
        int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds);

        /// <summary>Writes every byte, or drops them when no host is connected.</summary>
        void Write(byte[] buffer, int offset, int count);
    }

    /// <summary>Constants of <see cref="IByteStream"/>.</summary>
    public static class ByteStream
    {
        /// <summary>Read result while no host is connected.</summary>
        public const int NoHost = -1;
    }

    /// <summary>A wall clock in milliseconds, for host-side timeouts (the board clock may be virtual).</summary>
    public interface IWallClock
    {
        /// <summary>Milliseconds since an arbitrary origin; never goes back.</summary>
        long NowMilliseconds { get; }
    }

    /// <summary>Receives every CCID message crossing the link, for a trace.</summary>
    public interface ILinkTrace
    {
        /// <summary>A message from the host (<paramref name="fromHost"/> true) or to it.</summary>
        void Message(bool fromHost, byte[] buffer, int offset, int length);

        /// <summary>A link event: NAK sent, time request, notification, host gone.</summary>
        void Event(string text);
    }
}
