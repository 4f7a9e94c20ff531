using Terminal.HostLink;
using Terminal.Simulator;
using Terminal.Tracing;

namespace Terminal.Desktop.Soak
{
    /// <summary>
    /// The board's virtual clock as the link's timeout clock and the trace's timestamps, for the soak and
    /// the host-link fuzz harness, which run the firmware in virtual time.
    /// </summary>
    public sealed class VirtualClockSource : IWallClock, ITraceClock
    {
        private readonly VirtualClock _clock;

        /// <summary>Reads <paramref name="clock"/>.</summary>
        public VirtualClockSource(VirtualClock clock)
        {
            _clock = clock;
        }

        /// <inheritdoc/>
        public long NowMilliseconds => _clock.NowMilliseconds;

        /// <inheritdoc/>
        public long NowMicroseconds => _clock.NowNanoseconds / 1000;
    }
}
