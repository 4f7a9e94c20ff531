using System;

namespace Terminal.Fuzz
{
    /// <summary>
    /// One fuzz target: takes arbitrary bytes, drives the code under test with them and checks the
    /// invariants the code documents. A documented result (an error code, a refusal) is a normal
    /// outcome and is returned as a short text; anything else is a finding: the target's own
    /// exception escapes, or the harness throws <see cref="HarnessViolation"/> (a broken invariant)
    /// or <see cref="BudgetExceeded"/> (more steps than the input can justify: a hang).
    /// </summary>
    /// <remarks>
    /// A harness keeps no state between inputs that changes its behaviour (AFL++ runs thousands of
    /// inputs in one process; the corpus replay runs them in any order): whatever it builds once
    /// (profiles, keys) is read-only afterwards.
    /// </remarks>
    public abstract class Harness
    {
        /// <summary>The name on the command line and the corpus folder (fuzz/corpus/&lt;name&gt;).</summary>
        public abstract string Name { get; }

        /// <summary>One line: what the input is and what is checked.</summary>
        public abstract string Description { get; }

        /// <summary>Runs one input; returns the documented outcome it produced (for logs and tests).</summary>
        public string Run(byte[] data)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }
            var budget = new Budget(StepBudget(data.Length));
            return Execute(data, budget);
        }

        /// <summary>The steps (line calls, loop turns) one input of <paramref name="length"/> bytes may take.</summary>
        protected virtual long StepBudget(int length)
        {
            return 10_000 + 200L * length;
        }

        /// <summary>The harness proper.</summary>
        protected abstract string Execute(byte[] data, Budget budget);

        /// <summary>Throws <see cref="HarnessViolation"/> with <paramref name="message"/> when <paramref name="condition"/> is false.</summary>
        protected static void Check(bool condition, string message)
        {
            if (!condition)
            {
                throw new HarnessViolation(message);
            }
        }

        /// <summary>Bytes kept free on each side of a buffer the code under test writes into.</summary>
        protected const int Guard = 16;

        /// <summary>The value of the free bytes (and of the whole buffer before the call).</summary>
        protected const byte GuardByte = 0xA5;

        /// <summary>Sets every byte of <paramref name="buffer"/> to <see cref="GuardByte"/>.</summary>
        protected static void Fill(byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = GuardByte;
            }
        }

        /// <summary>Throws when a byte outside [<paramref name="offset"/>, +<paramref name="capacity"/>) is no longer <see cref="GuardByte"/>.</summary>
        protected static void CheckGuards(byte[] buffer, int offset, int capacity, string what)
        {
            for (int i = 0; i < offset; i++)
            {
                Check(buffer[i] == GuardByte, $"{what} wrote before its area (byte {i - offset})");
            }
            for (int i = offset + capacity; i < buffer.Length; i++)
            {
                Check(buffer[i] == GuardByte, $"{what} wrote after its area (byte {i - offset - capacity} past the end)");
            }
        }

        /// <summary>True when <paramref name="code"/> is a length (&gt;= 0, at most <paramref name="maxLength"/>) or a documented <see cref="Terminal.Iso7816.TransmissionError"/> value.</summary>
        protected static bool IsLengthOrTransmissionError(int code, int maxLength)
        {
            return (code >= 0 && code <= maxLength) || (code <= -1 && code >= -15);
        }
    }

    /// <summary>A per-input step counter: the harness's measure of a hang, in iterations, never in time.</summary>
    public sealed class Budget
    {
        private readonly long _limit;
        private long _used;

        /// <summary>A budget of <paramref name="limit"/> steps.</summary>
        public Budget(long limit)
        {
            _limit = limit;
        }

        /// <summary>Steps taken so far.</summary>
        public long Used => _used;

        /// <summary>Steps allowed.</summary>
        public long Limit => _limit;

        /// <summary>Counts one step; throws <see cref="BudgetExceeded"/> past the limit.</summary>
        public void Step(string where)
        {
            if (++_used > _limit)
            {
                throw new BudgetExceeded($"more than {_limit} steps ({where}): the code under test does not end on this input");
            }
        }
    }

    /// <summary>An invariant of the code under test does not hold for this input (a finding).</summary>
    public class HarnessViolation : Exception
    {
        /// <summary>A violation described by <paramref name="message"/>.</summary>
        public HarnessViolation(string message) : base(message)
        {
        }
    }

    /// <summary>The input made the code under test take more steps than its budget (a hang).</summary>
    public sealed class BudgetExceeded : HarnessViolation
    {
        /// <summary>A hang described by <paramref name="message"/>.</summary>
        public BudgetExceeded(string message) : base(message)
        {
        }
    }
}
