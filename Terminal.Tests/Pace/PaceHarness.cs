using System;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Terminal.Pace;
using Terminal.Simulator;
using Terminal.Tests.Simulator;
using Xunit;

namespace Terminal.Tests.Pace
{
    /// <summary>
    /// <see cref="IApduChannel"/> over a virtual slot at byte level in T=1 (the test's hand-written reader): every
    /// PACE and SM APDU really crosses the simulated contacts. A vanished card (timeout, no card) gives -1, as the
    /// slot layer reports it to PACE.
    /// </summary>
    internal sealed class T1SlotChannel : IApduChannel
    {
        public readonly HandReader Reader;
        public int Exchanges;

        /// <summary>Called before each exchange with its index (0 = first): lets a test remove the card mid-protocol.</summary>
        public Action<int>? BeforeExchange;

        public T1SlotChannel(HandReader reader)
        {
            Reader = reader;
        }

        /// <summary>Powers the slot's card up at the default rate and checks it offers T=1.</summary>
        public static T1SlotChannel PowerUp(VirtualBoard board, int slot)
        {
            var r = new HandReader(board, slot);
            r.PowerUp();
            byte[] atr = r.ReadAtr();
            var info = new AtrInfo(atr);
            Assert.Contains(1, info.Protocols);
            r.Line.Wait(372 * 16);
            r.Crc = info.Crc;
            return new T1SlotChannel(r);
        }

        public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
        {
            BeforeExchange?.Invoke(Exchanges);
            Exchanges++;
            var apdu = new byte[length];
            Array.Copy(command, offset, apdu, 0, length);
            byte[] r;
            try
            {
                if (!Reader.Line.CardPresent) { return -1; }
                r = Reader.T1Apdu(apdu);
            }
            catch (Exception)
            {
                // The hand reader asserts on a missing block: for PACE that is an unreachable card.
                return -1;
            }
            if (r.Length < 2 || r.Length > response.Length - responseOffset) { return -1; }
            Array.Copy(r, 0, response, responseOffset, r.Length);
            return r.Length;
        }

        /// <summary>A plain APDU; data and status word.</summary>
        public (byte[] Data, int Sw) Plain(string hex)
        {
            var resp = new byte[300];
            byte[] c = Hex.Parse(hex);
            int n = Transmit(c, 0, c.Length, resp, 0);
            Assert.True(n >= 2, $"card unreachable for {hex}");
            return (resp.AsSpan(0, n - 2).ToArray(), (resp[n - 2] << 8) | resp[n - 1]);
        }
    }

    /// <summary>What the reader does before PACE, and PACE itself, as the CCID layer will do it.</summary>
    internal static class PaceHarness
    {
        /// <summary>SELECT MF, READ BINARY of EF.CardAccess by SFI 1C in plain, parsed: the algorithm and curve to run.</summary>
        public static CardAccess ReadCardAccess(IApduChannel channel)
        {
            var resp = new byte[300];
            byte[] read = Hex.Parse("00 B0 9C 00 00");
            int n = channel.Transmit(read, 0, read.Length, resp, 0);
            Assert.True(n >= 2, "EF.CardAccess read failed: card unreachable");
            Assert.Equal(0x9000, (resp[n - 2] << 8) | resp[n - 1]);
            var access = new CardAccess();
            Assert.Equal(CardAccess.Found, access.Parse(resp, 0, n - 2));
            return access;
        }

        public static byte[] Ascii(string s)
        {
            var b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++) { b[i] = (byte)s[i]; }
            return b;
        }

        /// <summary>EF.CardAccess then PACE with <paramref name="password"/>; the reader and the result.</summary>
        public static int Establish(IApduChannel channel, int reference, string password, out PaceReader reader)
        {
            CardAccess access = ReadCardAccess(channel);
            EcCurve curve = EcCurve.FromParameterId(access.ParameterId)!;
            reader = new PaceReader(channel, DesktopCipherFactory.Instance);
            byte[] pw = Ascii(password);
            try
            {
                return reader.Establish(access.Algorithm!, new DesktopEcArithmetic(curve), reference, pw, 0, pw.Length, null, 0, 0);
            }
            finally
            {
                Array.Clear(pw);
            }
        }

        /// <summary>A plain APDU through the secure channel; data and status word.</summary>
        public static (byte[] Data, int Sw) Protected(SecureChannel sm, IApduChannel card, string hex)
        {
            byte[] c = Hex.Parse(hex);
            var resp = new byte[300];
            int n = sm.Transmit(card, c, 0, c.Length, resp, 0);
            Assert.True(n >= 2, $"secure channel result {n} for {hex}");
            return (resp.AsSpan(0, n - 2).ToArray(), (resp[n - 2] << 8) | resp[n - 1]);
        }

        /// <summary>Reads a whole transparent EF (already selected) in chunks of <paramref name="chunk"/> under SM.</summary>
        public static byte[] ReadAll(SecureChannel sm, IApduChannel card, int size, int chunk)
        {
            var all = new byte[size];
            for (int o = 0; o < size; o += chunk)
            {
                int n = Math.Min(chunk, size - o);
                var r = Protected(sm, card, $"00 B0 {o >> 8:X2} {o & 0xFF:X2} {n:X2}");
                Assert.Equal(0x9000, r.Sw);
                Assert.Equal(n, r.Data.Length);
                Array.Copy(r.Data, 0, all, o, n);
            }
            return all;
        }
    }
}

namespace Terminal.Tests.Pace
{
    /// <summary><see cref="IApduChannel"/> over the firmware's own ISO 7816 engine (<see cref="Terminal.Iso7816.CardSession"/>:
    /// ATR, PPS, T=0 or T=1) on a slot's card line: the path the CCID layer will give PACE.</summary>
    internal sealed class EngineChannel : IApduChannel
    {
        public readonly Terminal.Iso7816.CardSession Session;
        public int Exchanges;

        public EngineChannel(Terminal.Iso7816.ICardLine line)
        {
            Session = new Terminal.Iso7816.CardSession(line);
            int atr = Session.PowerOn(Terminal.Iso7816.VoltageClass.A, 1_000_000, true);
            Assert.True(atr > 0, $"power-on failed: {atr}");
        }

        public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
        {
            Exchanges++;
            int r = Session.TransmitApdu(command, offset, length, response, responseOffset, response.Length - responseOffset);
            return r < 2 ? -1 : r;
        }
    }
}
