using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Terminal.Simulator
{
    /// <summary>How a bridge slot presents the external card on the line.</summary>
    public enum BridgeProtocol
    {
        /// <summary>With the external card's own ATR.</summary>
        CardAtr,
        /// <summary>As a T=0 card (ATR 3B 04 "VPCD").</summary>
        T0,
        /// <summary>As a T=1 card (ATR 3B 84 81 31 FE 45 "VPCD" TCK: IFSC 254, LRC).</summary>
        T1,
    }

    /// <summary>
    /// The vpcd side of vsmartcard's virtual smart card protocol, on loopback TCP: an external
    /// APDU-level card (vicc, or a real card relayed from another reader) connects to it, and the
    /// simulator presents that card at byte level in a slot. Frames have a 2-byte big-endian length;
    /// one-byte frames are control messages (0 power off, 1 power on, 2 reset, 4 get ATR).
    /// </summary>
    public sealed class VpcdBridge : IDisposable
    {
        /// <summary>Real time allowed for the external card to answer one message.</summary>
        public static TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(10);

        private readonly TcpListener _listener;
        private readonly Thread _acceptThread;
        private readonly object _lock = new object();
        private TcpClient? _client;
        private NetworkStream? _stream;
        private VirtualSlot? _slot;
        private BridgeProtocol _protocol;
        private bool _disposed;

        private VpcdBridge(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "vpcd-bridge" };
            _acceptThread.Start();
        }

        /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 picks a free port; vpcd's usual port is 35963).</summary>
        public static VpcdBridge Listen(int port = 0) => new VpcdBridge(port);

        /// <summary>The port listened on.</summary>
        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>True while an external card is connected.</summary>
        public bool Connected { get { lock (_lock) { return _stream != null; } } }

        /// <summary>Raised when an external card connects (true) or goes away (false).</summary>
        public event EventHandler<bool>? ConnectionChanged;

        /// <summary>
        /// Makes <paramref name="slot"/> a bridge slot: the external card is inserted when it
        /// connects (now, if already connected) and removed when it goes away.
        /// </summary>
        public void AttachTo(VirtualSlot slot, BridgeProtocol protocol)
        {
            bool connected;
            lock (_lock)
            {
                _slot = slot;
                _protocol = protocol;
                connected = _stream != null;
            }
            if (connected) { slot.Insert(VirtualCard.FromBridge(this, protocol)); }
        }

        /// <summary>Waits (real time) until an external card is connected.</summary>
        public bool WaitForCard(TimeSpan timeout)
        {
            DateTime end = DateTime.UtcNow + timeout;
            lock (_lock)
            {
                while (_stream == null)
                {
                    TimeSpan left = end - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) { return false; }
                    Monitor.Wait(_lock, left);
                }
                return true;
            }
        }

        private void AcceptLoop()
        {
            while (true)
            {
                TcpClient client;
                try { client = _listener.AcceptTcpClient(); }
                catch (Exception) { return; }
                client.NoDelay = true;
                VirtualSlot? slot;
                BridgeProtocol protocol;
                lock (_lock)
                {
                    if (_disposed) { client.Dispose(); return; }
                    _client?.Dispose();
                    _client = client;
                    _stream = client.GetStream();
                    _stream.ReadTimeout = (int)ReplyTimeout.TotalMilliseconds;
                    slot = _slot;
                    protocol = _protocol;
                    Monitor.PulseAll(_lock);
                }
                Control(1);
                ConnectionChanged?.Invoke(this, true);
                if (slot != null) { slot.Insert(VirtualCard.FromBridge(this, protocol)); }
            }
        }

        private void Lost()
        {
            VirtualSlot? slot;
            lock (_lock)
            {
                if (_stream == null) { return; }
                _client?.Dispose();
                _client = null;
                _stream = null;
                slot = _slot;
            }
            ConnectionChanged?.Invoke(this, false);
            slot?.Remove();
        }

        /// <summary>Sends a one-byte control message (0 off, 1 on, 2 reset) that has no answer.</summary>
        public void Control(byte code)
        {
            lock (_lock)
            {
                if (_stream == null) { return; }
                try { WriteFrame(_stream, new[] { code }); }
                catch (IOException) { ThreadPool.QueueUserWorkItem(_ => Lost()); }
            }
        }

        /// <summary>The external card's ATR (control 4), or null when it is gone.</summary>
        public byte[]? GetAtr() => Exchange(new byte[] { 4 });

        /// <summary>Sends a command APDU and returns the response APDU, or null when the card is gone.</summary>
        public byte[]? Transmit(byte[] apdu) => apdu.Length <= 1 ? null : Exchange(apdu);

        private byte[]? Exchange(byte[] frame)
        {
            byte[]? reply = null;
            bool lost = false;
            lock (_lock)
            {
                if (_stream == null) { return null; }
                try
                {
                    WriteFrame(_stream, frame);
                    reply = ReadFrame(_stream);
                    lost = reply == null;
                }
                catch (IOException) { lost = true; }
            }
            if (lost) { ThreadPool.QueueUserWorkItem(_ => Lost()); }
            return reply;
        }

        /// <summary>Writes one frame: 2-byte big-endian length, payload.</summary>
        public static void WriteFrame(Stream s, byte[] payload)
        {
            var b = new byte[2 + payload.Length];
            b[0] = (byte)(payload.Length >> 8);
            b[1] = (byte)payload.Length;
            Buffer.BlockCopy(payload, 0, b, 2, payload.Length);
            s.Write(b, 0, b.Length);
            s.Flush();
        }

        /// <summary>Reads one frame; null at end of stream.</summary>
        public static byte[]? ReadFrame(Stream s)
        {
            var h = new byte[2];
            if (!ReadExactly(s, h)) { return null; }
            var p = new byte[(h[0] << 8) | h[1]];
            return ReadExactly(s, p) ? p : null;
        }

        private static bool ReadExactly(Stream s, byte[] b)
        {
            int n = 0;
            while (n < b.Length)
            {
                int r = s.Read(b, n, b.Length - n);
                if (r <= 0) { return false; }
                n += r;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _client?.Dispose();
                _client = null;
                _stream = null;
            }
            _listener.Stop();
        }
    }

    /// <summary>An application that forwards every APDU to an external card over the vpcd protocol.</summary>
    public sealed class VpcdApplication : ICardApplication
    {
        private readonly VpcdBridge _bridge;

        /// <summary>Forwards to <paramref name="bridge"/>.</summary>
        public VpcdApplication(VpcdBridge bridge) { _bridge = bridge; }

        /// <inheritdoc/>
        public void Reset() => _bridge.Control(2);

        /// <inheritdoc/>
        public bool CommandHasData(byte cla, byte ins, byte p1, byte p2) => Iso7816Commands.HasData(ins);

        /// <inheritdoc/>
        public ApduResponse Process(ApduCommand command)
        {
            byte[]? r = _bridge.Transmit(command.ToBytes());
            if (r == null || r.Length < 2) { return ApduResponse.Status(Sw.Unknown); }
            var data = new byte[r.Length - 2];
            Buffer.BlockCopy(r, 0, data, 0, data.Length);
            return new ApduResponse(data, (r[^2] << 8) | r[^1]);
        }
    }

    public sealed partial class VirtualCard
    {
        /// <summary>ATR of a bridge slot presented in T=0.</summary>
        public static readonly byte[] BridgeT0Atr = Hex.Parse("3B 04 56 50 43 44");

        /// <summary>ATR of a bridge slot presented in T=1 (IFSC 254, BWI 4, CWI 5, LRC).</summary>
        public static readonly byte[] BridgeT1Atr = MakeT1Atr();

        private static byte[] MakeT1Atr()
        {
            byte[] a = Hex.Parse("3B 84 81 31 FE 45 56 50 43 44 00");
            a[^1] = AtrInfo.ComputeTck(a, a.Length - 1);
            return a;
        }

        /// <summary>A card whose application is the external card behind <paramref name="bridge"/>.</summary>
        public static VirtualCard FromBridge(VpcdBridge bridge, BridgeProtocol protocol)
        {
            byte[] atr = protocol switch
            {
                BridgeProtocol.T0 => BridgeT0Atr,
                BridgeProtocol.T1 => BridgeT1Atr,
                _ => bridge.GetAtr() ?? throw new IOException("the external card did not send its ATR"),
            };
            var profile = new CardProfile
            {
                Name = "vpcd-" + protocol.ToString().ToLowerInvariant(),
                Description = "external card over the vpcd protocol",
                Atr = Hex.Format(atr),
                Classes = "ABC",
                Application = "vpcd",
            };
            return new VirtualCard(profile, new VpcdApplication(bridge));
        }
    }
}
