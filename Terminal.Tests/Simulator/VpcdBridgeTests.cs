using System;
using System.Net.Sockets;
using System.Threading;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>
    /// A small card speaking vsmartcard's vpcd protocol (the vicc side), written for the tests:
    /// loopback TCP, 2-byte big-endian length frames, control bytes 0 off, 1 on, 2 reset, 4 ATR.
    /// </summary>
    internal sealed class TestVicc : IDisposable
    {
        private readonly TcpClient _client;
        private readonly Thread _thread;
        public int Controls;
        public int Apdus;

        public TestVicc(int port)
        {
            _client = new TcpClient("127.0.0.1", port);
            _thread = new Thread(Run) { IsBackground = true };
            _thread.Start();
        }

        private void Run()
        {
            NetworkStream s = _client.GetStream();
            try
            {
                while (true)
                {
                    byte[]? f = VpcdBridge.ReadFrame(s);
                    if (f == null) { return; }
                    if (f.Length == 1)
                    {
                        Interlocked.Increment(ref Controls);
                        if (f[0] == 4) { VpcdBridge.WriteFrame(s, Hex.Parse("3B 02 14 50")); }
                        continue;
                    }
                    Interlocked.Increment(ref Apdus);
                    VpcdBridge.WriteFrame(s, Answer(f));
                }
            }
            catch (Exception) { }
        }

        private static byte[] Answer(byte[] apdu)
        {
            string h = Hex.Format(apdu);
            if (h.StartsWith("00 A4 04 00 06 A0 00 00 00 01 02", StringComparison.Ordinal))
            {
                return Hex.Parse("6F 08 84 06 A0 00 00 00 01 02 90 00");
            }
            if (h.StartsWith("00 B0 00 00", StringComparison.Ordinal))
            {
                int le = apdu.Length == 5 ? (apdu[4] == 0 ? 256 : apdu[4]) : 0;
                var r = new byte[Math.Min(le, 16) + 2];
                for (int i = 0; i < r.Length - 2; i++) { r[i] = (byte)(0x30 + i); }
                r[^2] = 0x90;
                return r;
            }
            return Hex.Parse("6D 00");
        }

        public void Dispose() => _client.Dispose();
    }

    /// <summary>The bridge slot: an external vpcd-protocol card presented at byte level in T=0 and T=1.</summary>
    public class VpcdBridgeTests
    {
        [Fact]
        public void Vpcd_BridgeSlotInT0_AnswersASelectAtByteLevel_With61xxAndGetResponse()
        {
            using VpcdBridge bridge = VpcdBridge.Listen(0);
            var board = new VirtualBoard();
            bridge.AttachTo(board.Slots[0], BridgeProtocol.T0);
            using var vicc = new TestVicc(bridge.Port);
            Assert.True(SpinWait.SpinUntil(() => board.Slots[0].Line.CardPresent, 5000), "the bridge inserts the card when it connects");
            var r = new HandReader(board, 0);
            r.PowerUp();
            Assert.Equal("3B 04 56 50 43 44", Hex.Format(r.ReadAtr()));
            var first = r.T0("00 A4 04 00 06", "A0 00 00 00 01 02");
            Assert.Equal(0x610A & 0xFF00, first.Sw & 0xFF00);
            var sel = r.T0Apdu("00 A4 04 00 06 A0 00 00 00 01 02");
            Assert.Equal(0x9000, sel.Sw);
            Assert.Equal("6F 08 84 06 A0 00 00 00 01 02", Hex.Format(sel.Data));
            var read = r.T0Apdu("00 B0 00 00 00");
            Assert.Equal(0x9000, read.Sw);
            Assert.Equal(16, read.Data.Length);
            Assert.True(vicc.Apdus >= 3);
        }

        [Fact]
        public void Vpcd_BridgeSlotInT1_AnswersASelectInAnIBlock()
        {
            using VpcdBridge bridge = VpcdBridge.Listen(0);
            var board = new VirtualBoard();
            using var vicc = new TestVicc(bridge.Port);
            Assert.True(bridge.WaitForCard(TimeSpan.FromSeconds(5)));
            board.Slots[1].Insert(VirtualCard.FromBridge(bridge, BridgeProtocol.T1));
            var r = new HandReader(board, 1);
            r.PowerUp();
            byte[] atr = r.ReadAtr();
            Assert.Equal(VirtualCard.BridgeT1Atr, atr);
            r.Guard = 11; r.Apply();
            byte[] resp = r.T1Apdu(Hex.Parse("00 A4 04 00 06 A0 00 00 00 01 02 00"));
            Assert.Equal("6F 08 84 06 A0 00 00 00 01 02 90 00", Hex.Format(resp));
        }

        [Fact]
        public void Vpcd_CardAtrMode_UsesTheExternalCardsAtr_AndDisconnectRemovesIt()
        {
            using VpcdBridge bridge = VpcdBridge.Listen(0);
            var board = new VirtualBoard();
            bridge.AttachTo(board.Slots[0], BridgeProtocol.CardAtr);
            var vicc = new TestVicc(bridge.Port);
            Assert.True(SpinWait.SpinUntil(() => board.Slots[0].Line.CardPresent, 5000));
            var r = new HandReader(board, 0);
            r.PowerUp();
            Assert.Equal("3B 02 14 50", Hex.Format(r.ReadAtr()));
            vicc.Dispose();
            // The bridge notices on its next exchange.
            r.T0("00 A4 04 00 06", "A0 00 00 00 01 02");
            Assert.True(SpinWait.SpinUntil(() => !board.Slots[0].Line.CardPresent, 5000));
        }
    }
}
