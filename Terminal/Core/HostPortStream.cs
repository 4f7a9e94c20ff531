using Terminal.Boards;
using Terminal.HostLink;

namespace Terminal.Core
{
    /// <summary>
    /// The board's host UART (<see cref="IHostPort"/>) as the host link's <see cref="IByteStream"/>. The
    /// two contracts agree on Read and Write; a UART has no "no host" state, so Read never returns
    /// <see cref="ByteStream.NoHost"/>: a host that goes away is only silence, as on the real product.
    /// </summary>
    public sealed class HostPortStream : IByteStream
    {
        private readonly IHostPort _port;

        /// <summary>Wraps the board's host port.</summary>
        public HostPortStream(IHostPort port)
        {
            _port = port;
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            return _port.Read(buffer, offset, count, timeoutMilliseconds);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }

    /// <summary>A real board's clock as the host link's wall clock (on real hardware they are the same time).</summary>
    public sealed class BoardWallClock : IWallClock
    {
        private readonly IClock _clock;

        /// <summary>Reads <paramref name="clock"/>.</summary>
        public BoardWallClock(IClock clock)
        {
            _clock = clock;
        }

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return _clock.NowMilliseconds; }
        }
    }
}
