using System;
using System.Collections.Generic;
using System.Diagnostics;
using Terminal.Tracing;

namespace Terminal.Desktop.CcidTest
{
    /// <summary>What came back for one command.</summary>
    public sealed class Exchange
    {
        /// <summary>The reply message (header + data), or null.</summary>
        public byte[]? Reply;
        /// <summary>The reader answered NAK (03 15 16).</summary>
        public bool Nak;
        /// <summary>Time-request bytes (&gt;= 0x80) received before the answer.</summary>
        public int TimeRequests;
        /// <summary>Card movement notifications (50 02 / 50 03) received before the answer: the second byte.</summary>
        public List<byte> Notifications = new List<byte>();
        /// <summary>The echo frame discarded first (GemPC reader types), or null.</summary>
        public byte[]? Echo;
        /// <summary>Protocol problems seen (bad LRC from the reader, stray bytes, timeout).</summary>
        public List<string> Problems = new List<string>();
        /// <summary>Wall-clock time from the end of the command to the answer.</summary>
        public TimeSpan Elapsed;

        /// <summary>bmCommandStatus of the reply (0 ok, 1 failed, 2 time extension), -1 without a reply.</summary>
        public int CommandStatus => Reply == null || Reply.Length < 10 ? -1 : Reply[7] >> 6;
        /// <summary>bmICCStatus (0 active, 1 inactive, 2 absent), -1 without a reply.</summary>
        public int IccStatus => Reply == null || Reply.Length < 10 ? -1 : Reply[7] & 3;
        /// <summary>bError, -1 without a reply.</summary>
        public int Error => Reply == null || Reply.Length < 10 ? -1 : Reply[8];
        /// <summary>abData length.</summary>
        public int DataLength => Reply == null || Reply.Length < 10 ? 0 : Reply.Length - 10;
    }

    /// <summary>
    /// The host side of libccid's serial framing: `03 06` + CCID message + LRC both ways; reader NAK
    /// `03 15 16`; single bytes &gt;= 0x80 from the reader are time requests (the wait restarts);
    /// `50 02`/`50 03` are card movement notifications; the GemPC reader types echo one frame first.
    /// Every message crossing it can be written to a pcapng trace (host link as USB CCID).
    /// </summary>
    public sealed class HostLinkClient
    {
        private readonly IHostTransport _transport;
        private readonly byte[] _rx = new byte[4096];
        private int _rxPos;
        private int _rxEnd;
        private byte _seq;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly long _epochUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

        /// <summary>Talks over <paramref name="transport"/>.</summary>
        public HostLinkClient(IHostTransport transport)
        {
            _transport = transport;
        }

        /// <summary>The reader echoes one frame per command (GemPC types).</summary>
        public bool Echo { get; set; }

        /// <summary>Per-byte timeout (libccid: 3 s, restarted by every byte).</summary>
        public int ByteTimeoutMilliseconds { get; set; } = 3000;

        /// <summary>Trace of the host link, or null.</summary>
        public PcapngTrace? Trace { get; set; }

        /// <summary>Frames sent.</summary>
        public int FramesSent { get; private set; }

        /// <summary>Microseconds for the trace.</summary>
        public long NowMicroseconds => _epochUs + _clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;

        /// <summary>Next bSeq.</summary>
        public byte NextSeq() => _seq++;

        /// <summary>Builds a message: type, slot, bSeq (next), bytes 7..9, data.</summary>
        public byte[] Message(byte type, int slot, byte b7, byte b8, byte b9, byte[]? data)
        {
            int n = data?.Length ?? 0;
            byte[] m = new byte[10 + n];
            m[0] = type;
            m[1] = (byte)n; m[2] = (byte)(n >> 8); m[3] = (byte)(n >> 16); m[4] = (byte)(n >> 24);
            m[5] = (byte)slot;
            m[6] = NextSeq();
            m[7] = b7; m[8] = b8; m[9] = b9;
            data?.CopyTo(m, 10);
            return m;
        }

        /// <summary>Frames and sends <paramref name="message"/>, then reads the answer.</summary>
        public Exchange Transact(byte[] message, int timeoutMilliseconds = 0)
        {
            SendFrame(message);
            return Receive(message, timeoutMilliseconds);
        }

        /// <summary>Frames a message: SYNC ACK message LRC; <paramref name="corruptLrc"/> flips the LRC.</summary>
        public static byte[] Frame(byte[] message, bool corruptLrc = false)
        {
            byte[] f = new byte[message.Length + 3];
            f[0] = 0x03; f[1] = 0x06;
            message.CopyTo(f, 2);
            byte lrc = 0;
            for (int i = 0; i < f.Length - 1; i++) { lrc ^= f[i]; }
            f[^1] = corruptLrc ? (byte)(lrc ^ 0xFF) : lrc;
            return f;
        }

        /// <summary>Sends a framed message.</summary>
        public void SendFrame(byte[] message)
        {
            Trace?.HostToReader(NowMicroseconds, message, 0, message.Length);
            SendRaw(Frame(message));
        }

        /// <summary>Sends bytes as they are (broken frames).</summary>
        public void SendRaw(byte[] bytes)
        {
            _transport.Write(bytes, 0, bytes.Length);
            FramesSent++;
        }

        /// <summary>Discards whatever the reader sent and is still sending (quiet for <paramref name="quietMilliseconds"/>).</summary>
        public int Drain(int quietMilliseconds = 50)
        {
            int total = _rxEnd - _rxPos;
            _rxPos = _rxEnd = 0;
            byte[] b = new byte[512];
            int n;
            while ((n = _transport.Read(b, 0, b.Length, quietMilliseconds)) > 0) { total += n; }
            return total;
        }

        /// <summary>Reads the answer to <paramref name="command"/> (or any answer when null).</summary>
        public Exchange Receive(byte[]? command, int timeoutMilliseconds = 0)
        {
            var ex = new Exchange();
            Stopwatch sw = Stopwatch.StartNew();
            int timeout = timeoutMilliseconds > 0 ? timeoutMilliseconds : ByteTimeoutMilliseconds;
            while (true)
            {
                byte[]? frame = ReadFrame(ex, timeout);
                if (frame == null || ex.Nak)
                {
                    break;
                }
                if (Echo && ex.Echo == null)
                {
                    ex.Echo = frame;
                    continue;
                }
                ex.Reply = frame;
                Trace?.ReaderToHost(NowMicroseconds, frame, 0, frame.Length);
                break;
            }
            ex.Elapsed = sw.Elapsed;
            return ex;
        }

        private int NextByte(int timeout)
        {
            if (_rxPos < _rxEnd) { return _rx[_rxPos++]; }
            int n = _transport.Read(_rx, 0, _rx.Length, timeout);
            if (n <= 0) { return n < 0 ? -2 : -1; }
            _rxPos = 1;
            _rxEnd = n;
            return _rx[0];
        }

        // One frame, skipping time requests and notifications as libccid does; null on timeout or NAK.
        private byte[]? ReadFrame(Exchange ex, int timeout)
        {
            while (true)
            {
                int b = NextByte(timeout);
                if (b < 0)
                {
                    ex.Problems.Add(b == -2 ? "the reader closed the link" : $"no answer within {timeout} ms");
                    return null;
                }
                if (b >= 0x80)
                {
                    ex.TimeRequests++;
                    continue;
                }
                if (b == 0x50)
                {
                    int what = NextByte(timeout);
                    ex.Notifications.Add((byte)(what < 0 ? 0 : what));
                    if (what >= 0)
                    {
                        byte[] notify = { 0x50, (byte)what };
                        Trace?.ReaderToHost(NowMicroseconds, notify, 0, 2);
                    }
                    continue;
                }
                if (b != 0x03)
                {
                    ex.Problems.Add($"stray byte {b:X2} before SYNC");
                    continue;
                }
                int ack = NextByte(200);
                if (ack == 0x15)
                {
                    int lrc = NextByte(200);
                    ex.Nak = true;
                    if (lrc != 0x16) { ex.Problems.Add($"NAK with LRC {lrc:X2} (expected 16)"); }
                    return null;
                }
                if (ack != 0x06)
                {
                    ex.Problems.Add($"SYNC followed by {ack:X2}, not ACK or NAK");
                    continue;
                }
                byte[] header = new byte[10];
                for (int i = 0; i < 10; i++)
                {
                    int c = NextByte(200);
                    if (c < 0) { ex.Problems.Add("frame cut in its header"); return null; }
                    header[i] = (byte)c;
                }
                int length = header[1] | (header[2] << 8) | (header[3] << 16) | (header[4] << 24);
                if (length < 0 || length > 261)
                {
                    ex.Problems.Add($"reply dwLength {length} over 261 (dwMaxCCIDMessageLength 271)");
                    return null;
                }
                byte[] frame = new byte[10 + length];
                header.CopyTo(frame, 0);
                for (int i = 10; i < frame.Length; i++)
                {
                    int c = NextByte(200);
                    if (c < 0) { ex.Problems.Add("frame shorter than its dwLength"); return null; }
                    frame[i] = (byte)c;
                }
                int l = NextByte(200);
                byte x = 0x03 ^ 0x06;
                foreach (byte v in frame) { x ^= v; }
                if (l != x)
                {
                    ex.Problems.Add($"reply LRC {l:X2}, expected {x:X2}");
                }
                return frame;
            }
        }
    }
}
