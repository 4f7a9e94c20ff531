using Terminal.Ccid;
using Terminal.HostLink;

namespace Terminal.Desktop.Soak
{
    /// <summary>
    /// The host's view of one <see cref="SerialHostLink.Poll"/>: checks that what the firmware wrote is
    /// exactly what libccid's serial driver can take (design/pcsc-serial.md). An answered command
    /// (Poll 1) gets [a header-only echo with an echoing profile], then any time-request bytes (0x80 and
    /// above), `50 02`/`50 03` notifications and time-extension frames, then exactly one reply frame
    /// and nothing after it: SYNC ACK, the CCID message, a right LRC; the RDR_to_PC type that answers
    /// the command's type (CCID rev 1.1 §6.2; SlotStatus for an unknown type), bSlot and bSeq echoed,
    /// dwLength within 261 and as §6.2 allows for the type, bStatus without RFU bits, bError 0 when the command
    /// succeeded (a failure may carry 0: "command not supported", §6.2.6). A refused frame (Poll -1) gets one NAK `03 15 16` and nothing
    /// else; an idle or hostless poll (0, -2) nothing. No gap of more than the host's timeout (3 s of
    /// virtual time) from the end of the command to the first byte or between two writes. Allocates
    /// nothing unless it finds a fault (then the description).
    /// </summary>
    public sealed class LinkChecker
    {
        /// <summary>The host's read timeout: libccid's serial driver gives up after 3 s without a byte.</summary>
        public const long HostTimeoutPicoseconds = 3_000_000_000_000L;

        /// <summary>Offset of the last reply frame's CCID message in the pipe's output (after SYNC ACK).</summary>
        public int ReplyOffset { get; private set; }

        /// <summary>Length of the last reply's CCID message (header and data).</summary>
        public int ReplyLength { get; private set; }

        /// <summary>Time-request bytes seen in all.</summary>
        public long TimeRequests { get; private set; }

        /// <summary>Card movement notifications seen in all.</summary>
        public long Notifications { get; private set; }

        /// <summary>Time-extension frames seen in all.</summary>
        public long TimeExtensions { get; private set; }

        /// <summary>Removals (0x02) and insertions (0x03) announced, by the order they came, of the last poll.</summary>
        public int LastNotificationsRemoved { get; private set; }

        /// <summary>Insertions announced by the last poll.</summary>
        public int LastNotificationsInserted { get; private set; }

        /// <summary>
        /// Checks the output of one poll. <paramref name="command"/> is the CCID message the link
        /// received (only read when <paramref name="pollResult"/> is 1), <paramref name="echo"/> whether
        /// the profile echoes, <paramref name="commandEndPicoseconds"/> when the host finished writing.
        /// Returns null when the output is right, else what is wrong.
        /// </summary>
        public string? Check(int pollResult, byte[] command, int commandLength, bool echo, HostPipe pipe, long commandEndPicoseconds)
        {
            ReplyOffset = -1;
            ReplyLength = 0;
            LastNotificationsRemoved = 0;
            LastNotificationsInserted = 0;
            byte[] o = pipe.Output;
            int n = pipe.OutputLength;
            string? timing = CheckTiming(pipe, commandEndPicoseconds);
            if (timing != null)
            {
                return timing;
            }
            if (pollResult != 1)
            {
                if (pollResult == -1)
                {
                    if (n != 3 || o[0] != SerialHostLink.Sync || o[1] != SerialHostLink.Nak || o[2] != (SerialHostLink.Sync ^ SerialHostLink.Nak))
                    {
                        return $"a refused frame got {Hex(o, 0, n)} instead of the one NAK 03 15 16";
                    }
                    return null;
                }
                return n == 0 ? null : $"poll {pollResult} (nothing answered) but the reader wrote {Hex(o, 0, n)}";
            }
            if (commandLength < CcidMessage.HeaderLength)
            {
                return $"an answered command of {commandLength} bytes";
            }
            int i = 0;
            bool echoSeen = !echo;
            while (i < n)
            {
                byte b = o[i];
                if (b >= SerialHostLink.TimeRequest)
                {
                    TimeRequests++;
                    i++;
                    continue;
                }
                if (b == CcidMessage.NotifySlotChange)
                {
                    if (i + 1 >= n || (o[i + 1] != 0x02 && o[i + 1] != 0x03))
                    {
                        return $"a notification that is not 50 02 or 50 03 at byte {i}: {Hex(o, i, n - i)}";
                    }
                    if (o[i + 1] == 0x02)
                    {
                        LastNotificationsRemoved++;
                    }
                    else
                    {
                        LastNotificationsInserted++;
                    }
                    Notifications++;
                    i += 2;
                    continue;
                }
                if (b != SerialHostLink.Sync)
                {
                    return $"byte {i} ({b:X2}) starts no frame, time request or notification: {Hex(o, 0, n)}";
                }
                if (i + 1 < n && o[i + 1] == SerialHostLink.Nak)
                {
                    return $"a NAK in the answer to a good frame at byte {i}: {Hex(o, 0, n)}";
                }
                int length = FrameLength(o, i, n, out string? frameError);
                if (frameError != null)
                {
                    return frameError;
                }
                int message = i + 2;
                if (!echoSeen)
                {
                    echoSeen = true;
                    if (length != CcidMessage.HeaderLength || o[message] != command[0] || o[message + 5] != command[5] || o[message + 6] != command[6])
                    {
                        return $"the echo of {Hex(command, 0, CcidMessage.HeaderLength)} is {Hex(o, message, length)}, not a header-only copy";
                    }
                    i = message + length + 1;
                    continue;
                }
                string? replyError = CheckReply(command, o, message, length);
                if (replyError != null)
                {
                    return replyError;
                }
                i = message + length + 1;
                if ((o[message + 7] & 0xC0) == 0x80)
                {
                    TimeExtensions++;
                    continue;
                }
                if (i != n)
                {
                    return $"{n - i} bytes after the reply (the link is out of step): {Hex(o, i, n - i)}";
                }
                ReplyOffset = message;
                ReplyLength = length;
                return null;
            }
            return $"no reply to {Hex(command, 0, commandLength < 16 ? commandLength : 16)}; the reader wrote {Hex(o, 0, n)}";
        }

        private static string? CheckTiming(HostPipe pipe, long commandEnd)
        {
            long last = commandEnd;
            for (int w = 0; w < pipe.Writes; w++)
            {
                long t = pipe.WriteTime(w);
                if (t - last > HostTimeoutPicoseconds)
                {
                    return $"the host waited {(t - last) / 1_000_000_000L} ms (virtual) for byte {(w == 0 ? 0 : pipe.WriteEnd(w - 1))} of the answer: it gives up after 3 s";
                }
                if (t > last)
                {
                    last = t;
                }
            }
            return null;
        }

        private static int FrameLength(byte[] o, int i, int n, out string? error)
        {
            error = null;
            if (i + 2 + CcidMessage.HeaderLength + 1 > n)
            {
                error = $"a frame cut in its header at byte {i}: {Hex(o, i, n - i)}";
                return 0;
            }
            if (o[i + 1] != SerialHostLink.Ack)
            {
                error = $"SYNC not followed by ACK at byte {i}: {Hex(o, i, n - i)}";
                return 0;
            }
            int dataLength = CcidDevice.ReadInt(o, i + 3);
            if (dataLength < 0 || dataLength > CcidMessage.MaxDataLength)
            {
                error = $"a reply with dwLength {dataLength} (the host takes 261 at most)";
                return 0;
            }
            int length = CcidMessage.HeaderLength + dataLength;
            if (i + 2 + length + 1 > n)
            {
                error = $"a frame shorter than its dwLength {dataLength}: {Hex(o, i, n - i)}";
                return 0;
            }
            int lrc = 0;
            for (int k = i; k < i + 2 + length + 1; k++)
            {
                lrc ^= o[k];
            }
            if (lrc != 0)
            {
                error = $"a reply frame with a wrong LRC: {Hex(o, i, length + 3)}";
                return 0;
            }
            return length;
        }

        private static string? CheckReply(byte[] command, byte[] o, int m, int length)
        {
            byte expected = CcidDevice.ReplyType(command[0]);
            if (expected == 0)
            {
                expected = CcidMessage.SlotStatus;
            }
            if (o[m] != expected)
            {
                return $"reply type {o[m]:X2} to command type {command[0]:X2} (expected {expected:X2}): {Hex(o, m, length)}";
            }
            if (o[m + 5] != command[5] || o[m + 6] != command[6])
            {
                return $"reply bSlot {o[m + 5]} bSeq {o[m + 6]} to bSlot {command[5]} bSeq {command[6]}";
            }
            int status = o[m + 7];
            int error = o[m + 8];
            int commandStatus = status >> 6;
            if ((status & 0x3C) != 0 || (status & 0x03) == 3 || commandStatus == 3)
            {
                return $"bStatus {status:X2} has RFU bits set: {Hex(o, m, length)}";
            }
            if (commandStatus == 0 && error != 0)
            {
                return $"a successful reply with bError {error:X2}: {Hex(o, m, length)}";
            }
            int data = length - CcidMessage.HeaderLength;
            switch (o[m])
            {
                case CcidMessage.SlotStatus:
                    if (data != 0 || o[m + 9] > 3)
                    {
                        return $"a SlotStatus with {data} data bytes or bClockStatus {o[m + 9]}: {Hex(o, m, length)}";
                    }
                    break;
                case CcidMessage.Parameters:
                    if (!(data == 0 || (data == 5 && o[m + 9] == 0) || (data == 7 && o[m + 9] == 1)))
                    {
                        return $"Parameters with {data} bytes for protocol {o[m + 9]}: {Hex(o, m, length)}";
                    }
                    break;
                case CcidMessage.DataRateAndClockFrequency:
                    if (data != 0 && data != 8)
                    {
                        return $"DataRateAndClockFrequency with {data} bytes: {Hex(o, m, length)}";
                    }
                    break;
                case CcidMessage.DataBlock:
                    if (commandStatus == 1 && data != 0)
                    {
                        return $"a failed DataBlock carrying {data} bytes: {Hex(o, m, length)}";
                    }
                    break;
            }
            return null;
        }

        /// <summary>Hex of a byte range (for failure messages only: it allocates).</summary>
        public static string Hex(byte[] b, int offset, int count)
        {
            if (count <= 0)
            {
                return "(nothing)";
            }
            int shown = count > 64 ? 64 : count;
            string text = System.Convert.ToHexString(b, offset, shown);
            return count > shown ? $"{text}... ({count} bytes)" : text;
        }
    }
}
