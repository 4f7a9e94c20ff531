using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Terminal.Simulator
{
    /// <summary>
    /// The one clock of a virtual board, in picoseconds. Card lines advance it by the real duration
    /// of each character, keypads and firmware timers by their waits. Deterministic unless
    /// <see cref="RealTimePacing"/> is on. Thread-safe.
    /// </summary>
    /// <remarks>
    /// Concurrent waits overlap instead of adding up: a thread that waits d from the moment it
    /// started sets the clock to at least (its start + d). Picoseconds keep 4 MHz (250 000 ps),
    /// 5 MHz and 2.5 MHz card clocks exact; a long holds 106 days of virtual time.
    /// </remarks>
    public sealed class VirtualClock
    {
        /// <summary>Picoseconds a second.</summary>
        public const long PicosecondsPerSecond = 1_000_000_000_000L;

        /// <summary>
        /// With pacing, how far virtual time may lag behind wall time before an advance: enough for a
        /// loop that waits wall time and then advances the clock by as much (the keypad's 50 ms slices).
        /// </summary>
        public const int MaxPacingLagMilliseconds = 100;

        private readonly object _lock = new object();
        private readonly List<(long At, long Seq, Action Action)> _scheduled = new List<(long, long, Action)>();
        private long _now;
        private long _seq;
        private bool _pacing;
        private Stopwatch _wall = new Stopwatch();
        private long _wallOriginPs;

        /// <summary>Raised (outside the clock's lock) after the clock moved forward.</summary>
        public event EventHandler? Advanced;

        /// <summary>Virtual time in picoseconds since the board was made.</summary>
        public long NowPicoseconds { get { lock (_lock) { return _now; } } }

        /// <summary>Virtual time in nanoseconds.</summary>
        public long NowNanoseconds => NowPicoseconds / 1000;

        /// <summary>Virtual time in milliseconds.</summary>
        public long NowMilliseconds => NowPicoseconds / 1_000_000_000L;

        /// <summary>
        /// When true, an advance of virtual time also lets the same wall time pass, so virtual time
        /// never runs ahead of wall time (interactive runs). Off by default. Time the board sat idle
        /// (nobody advancing the clock) is not owed back beyond <see cref="MaxPacingLagMilliseconds"/>:
        /// a card that works 3 s after a minute of quiet still takes 3 s of wall time.
        /// </summary>
        public bool RealTimePacing
        {
            get { lock (_lock) { return _pacing; } }
            set
            {
                lock (_lock)
                {
                    if (value && !_pacing)
                    {
                        _wall = Stopwatch.StartNew();
                        _wallOriginPs = _now;
                    }
                    _pacing = value;
                }
            }
        }

        /// <summary>Lets <paramref name="duration"/> pass.</summary>
        public void Advance(TimeSpan duration) => AdvancePicoseconds(duration.Ticks * 100_000L);

        /// <summary>Lets <paramref name="picoseconds"/> pass, counted from now.</summary>
        public void AdvancePicoseconds(long picoseconds)
        {
            if (picoseconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(picoseconds));
            }
            long target;
            lock (_lock)
            {
                target = _now + picoseconds;
            }
            AdvanceTo(target);
        }

        /// <summary>Moves the clock to <paramref name="picoseconds"/> if it is not already later.</summary>
        public void AdvanceTo(long picoseconds)
        {
            bool moved = false;
            while (true)
            {
                Action? due = null;
                bool pacing;
                lock (_lock)
                {
                    // Scheduled actions run at their own time, in order, before the clock passes them.
                    int index = -1;
                    for (int i = 0; i < _scheduled.Count; i++)
                    {
                        if (_scheduled[i].At <= picoseconds && (index < 0 || Earlier(_scheduled[i], _scheduled[index])))
                        {
                            index = i;
                        }
                    }
                    long step = picoseconds;
                    if (index >= 0)
                    {
                        step = Math.Max(_now, _scheduled[index].At);
                        due = _scheduled[index].Action;
                        _scheduled.RemoveAt(index);
                    }
                    if (step > _now)
                    {
                        if (_pacing)
                        {
                            ForgetIdleLag();
                        }
                        _now = step;
                        moved = true;
                    }
                    pacing = _pacing;
                }
                if (pacing)
                {
                    Pace();
                }
                if (due == null)
                {
                    break;
                }
                due();
            }
            if (moved)
            {
                Advanced?.Invoke(this, EventArgs.Empty);
            }
        }

        /// <summary>Runs <paramref name="action"/> when the clock reaches <paramref name="atPicoseconds"/> (at once if already past on the next advance).</summary>
        public void Schedule(long atPicoseconds, Action action)
        {
            lock (_lock)
            {
                _scheduled.Add((atPicoseconds, _seq++, action));
            }
        }

        /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> of virtual time.</summary>
        public void ScheduleAfter(TimeSpan delay, Action action) => Schedule(NowPicoseconds + delay.Ticks * 100_000L, action);

        /// <summary>Converts card clock cycles at <paramref name="hz"/> to picoseconds.</summary>
        public static long CyclesToPicoseconds(long cycles, int hz) => (long)((Int128)cycles * PicosecondsPerSecond / hz);

        /// <summary>Converts picoseconds to whole card clock cycles at <paramref name="hz"/>.</summary>
        public static long PicosecondsToCycles(long picoseconds, int hz) => (long)((Int128)picoseconds * hz / PicosecondsPerSecond);

        /// <summary>Converts picoseconds to card clock cycles at <paramref name="hz"/>, rounded up.</summary>
        public static long PicosecondsToCyclesCeiling(long picoseconds, int hz)
        {
            Int128 p = (Int128)picoseconds * hz;
            return (long)((p + PicosecondsPerSecond - 1) / PicosecondsPerSecond);
        }

        private static bool Earlier((long At, long Seq, Action Action) a, (long At, long Seq, Action Action) b) =>
            a.At < b.At || (a.At == b.At && a.Seq < b.Seq);

        // Under the lock, before the clock moves: the wall origin moves back so that virtual time lags
        // wall time by at most MaxPacingLagMilliseconds; the advance that follows is then slept out.
        private void ForgetIdleLag()
        {
            long lagPs = _wall.Elapsed.Ticks * 100_000L - (_now - _wallOriginPs);
            long maxPs = MaxPacingLagMilliseconds * 1_000_000_000L;
            if (lagPs > maxPs)
            {
                _wallOriginPs -= lagPs - maxPs;
            }
        }

        private void Pace()
        {
            long aheadPs;
            lock (_lock)
            {
                aheadPs = (_now - _wallOriginPs) - _wall.Elapsed.Ticks * 100_000L;
            }
            if (aheadPs > 0)
            {
                Thread.Sleep(TimeSpan.FromTicks(aheadPs / 100_000L));
            }
        }
    }
}
