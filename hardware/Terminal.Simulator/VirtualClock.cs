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
        /// Wall time that virtual time may lag behind and make up later without pacing: absorbs the
        /// overshoot of each sleep and the keypad's 50 ms wait slices. A longer lag (the board idle,
        /// nothing advancing the clock) is forgiven, so that the card work that follows is paced.
        /// </summary>
        public static readonly TimeSpan PacingSlack = TimeSpan.FromMilliseconds(100);

        /// <summary>
        /// When true, an advance of virtual time also lets the same wall time pass, so virtual time
        /// never runs ahead of wall time (interactive runs, <c>--pace real</c>). Idle wall time is not
        /// banked: after the board sat idle, a card exchange still takes its virtual duration in wall
        /// time (within <see cref="PacingSlack"/>). Off by default.
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
                            ForgiveIdleLag();
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

        // Under the lock, before the clock moves: if virtual time lags wall time by more than the
        // slack, move the origin so that it lags by the slack only. Without this, the wall time the
        // board spent idle (no card work, no keypad wait) would pay for the next exchanges, which then
        // ran at full speed: --pace real did not slow card work after the first idle moment.
        private void ForgiveIdleLag()
        {
            long slackPs = PacingSlack.Ticks * 100_000L;
            long lagPs = _wall.Elapsed.Ticks * 100_000L - (_now - _wallOriginPs);
            if (lagPs > slackPs)
            {
                _wallOriginPs -= lagPs - slackPs;
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
