using System;

namespace Terminal.Boards
{
    /// <summary>
    /// "Read exactly N bytes or time out" over <see cref="ISerialPort"/>, correct under both SerialPort
    /// behaviours: it never asks <see cref="ISerialPort.Read"/> for more than <see cref="ISerialPort.BytesToRead"/>
    /// reports, so the desktop's early return and nanoFramework's block-then-throw never apply, and no
    /// byte is lost to a TimeoutException.
    /// </summary>
    public static class SerialReader
    {
        /// <summary>
        /// Reads <paramref name="count"/> bytes into <paramref name="buffer"/> at <paramref name="offset"/>,
        /// waiting at most <paramref name="timeoutMilliseconds"/> in all. Returns how many arrived (less than
        /// <paramref name="count"/> only on timeout); the bytes that did arrive are kept.
        /// </summary>
        public static int ReadExactly(ISerialPort port, IClock clock, byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            long deadline = clock.NowMilliseconds + timeoutMilliseconds;
            int done = 0;
            while (done < count)
            {
                int got = ReadWaiting(port, buffer, offset + done, count - done);
                if (got > 0)
                {
                    done += got;
                    continue;
                }
                long left = deadline - clock.NowMilliseconds;
                if (left <= 0)
                {
                    break;
                }
                port.WaitForData((int)left);
            }
            return done;
        }

        /// <summary>
        /// Waits at most <paramref name="timeoutMilliseconds"/> for at least one byte, then returns what is
        /// waiting, up to <paramref name="count"/>; 0 on timeout.
        /// </summary>
        public static int ReadSome(ISerialPort port, IClock clock, byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            long deadline = clock.NowMilliseconds + timeoutMilliseconds;
            while (true)
            {
                int got = ReadWaiting(port, buffer, offset, count);
                if (got > 0)
                {
                    return got;
                }
                long left = deadline - clock.NowMilliseconds;
                if (left <= 0)
                {
                    return 0;
                }
                port.WaitForData((int)left);
            }
        }

        /// <summary>Reads what is already received, up to <paramref name="count"/>; never blocks.</summary>
        public static int ReadWaiting(ISerialPort port, byte[] buffer, int offset, int count)
        {
            int waiting = port.BytesToRead;
            if (waiting <= 0 || count <= 0)
            {
                return 0;
            }
            int ask = waiting < count ? waiting : count;
            try
            {
                return port.Read(buffer, offset, ask);
            }
            catch (TimeoutException)
            {
                // nanoFramework throws when fewer than asked arrived; asking only for what BytesToRead
                // announced makes that a driver fault, not a normal path: report nothing read.
                return 0;
            }
        }

        /// <summary>Throws away everything received so far.</summary>
        public static void Discard(ISerialPort port, byte[] scratch)
        {
            int guard = 64;
            while (guard-- > 0 && ReadWaiting(port, scratch, 0, scratch.Length) > 0)
            {
            }
        }
    }
}
