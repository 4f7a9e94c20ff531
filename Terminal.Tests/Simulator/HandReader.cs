using System;
using System.Collections.Generic;
using Terminal.Iso7816;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>
    /// The reader side of the test exchanges, written by hand on the raw line (independent of the
    /// engine in Terminal.Iso7816): activation, ATR, PPS, T=0 TPDUs and T=1 blocks.
    /// </summary>
    internal sealed class HandReader
    {
        public readonly VirtualBoard Board;
        public readonly VirtualSlot Slot;
        public readonly ICardLine Line;
        public int Fi = 372, Di = 1, Guard = 12;
        public Convention Convention = Convention.Direct;
        public bool ErrorSignal;
        public int Wi = 10;
        public bool Crc;
        public int T1Ns;

        public HandReader(string profile, int slot = 0)
            : this(VirtualCard.FromProfile(profile), slot)
        {
        }

        public HandReader(VirtualCard card, int slot = 0)
        {
            Board = new VirtualBoard();
            Slot = Board.Slots[slot];
            Slot.Insert(card);
            Line = Slot.Line;
        }

        public HandReader(VirtualBoard board, int slot)
        {
            Board = board;
            Slot = board.Slots[slot];
            Line = Slot.Line;
        }

        public VirtualCard Card => Slot.Card!;

        public long Etu(long n) => n * Fi / Di;

        public void Apply() => Line.Configure(Convention, Fi, Di, Guard, ErrorSignal);

        /// <summary>Cold reset: VCC, clock, RST low 500 cycles, RST high.</summary>
        public void PowerUp()
        {
            Fi = 372; Di = 1; Guard = 12; Convention = Convention.Direct;
            Apply();
            Line.SetVcc(VoltageClass.A);
            Line.SetClock(true);
            Line.Wait(500);
            Line.SetReset(true);
        }

        public void WarmReset()
        {
            Line.SetReset(false);
            Line.Wait(500);
            Fi = 372; Di = 1; Guard = 12;
            Apply();
            Line.SetReset(true);
        }

        /// <summary>Reads characters until a gap of the initial waiting time (9600 ETU): the raw ATR as received.</summary>
        public List<int> ReadAtrRaw()
        {
            var r = new List<int>();
            int c = Line.Receive(40_000 + Etu(9600));
            while (c >= 0)
            {
                r.Add(c);
                c = Line.Receive(Etu(9600));
            }
            if (r.Count == 0) { r.Add(c); }
            return r;
        }

        /// <summary>Reads the ATR, switching to inverse convention when TS says so.</summary>
        public byte[] ReadAtr()
        {
            var r = new List<byte>();
            int ts = Line.Receive(40_000 + Etu(9600));
            Assert.True(ts >= 0, $"no TS: {ts}");
            if ((ts & 0xFF) == 0x03)
            {
                Convention = Convention.Inverse;
                Apply();
                ts = 0x3F;
            }
            r.Add((byte)ts);
            int c;
            while ((c = Line.Receive(Etu(9600))) >= 0)
            {
                Assert.True(c <= 0xFF, $"parity error in ATR: {c:X}");
                r.Add((byte)c);
            }
            return r.ToArray();
        }

        /// <summary>The 16 ETU the reader leaves after the card's last leading edge (10 ETU elapsed already: the line returns a character at the end of its parity bit).</summary>
        public void Turnaround(int etu = 16) => Line.Wait(Etu(etu - VirtualCardLine.CharacterEtu) + 1);

        public void Send(params byte[] b)
        {
            Line.Send(b, 0, b.Length);
        }

        public int Receive() => Line.Receive(WwtCycles());

        public long WwtCycles() => 960L * Wi * Fi;

        public byte[] ReceiveN(int n)
        {
            var r = new byte[n];
            for (int i = 0; i < n; i++)
            {
                int c = Receive();
                Assert.True(c >= 0 && c <= 0xFF, $"character {i} of {n}: {c}");
                r[i] = (byte)c;
            }
            return r;
        }

        /// <summary>PPS request with PPS1; returns the raw answer (up to 4 characters) or fewer on timeout.</summary>
        public List<int> Pps(int t, byte pps1)
        {
            byte pps0 = (byte)(0x10 | t);
            byte pck = (byte)(0xFF ^ pps0 ^ pps1);
            Turnaround();
            Send(0xFF, pps0, pps1, pck);
            var r = new List<int>();
            for (int i = 0; i < 4; i++)
            {
                int c = Line.Receive(WwtCycles());
                if (c < 0) { break; }
                r.Add(c);
                if (r.Count == 2 && (c & 0x10) == 0)
                {
                    int pck2 = Line.Receive(WwtCycles());
                    if (pck2 >= 0) { r.Add(pck2); }
                    break;
                }
            }
            return r;
        }

        /// <summary>
        /// One T=0 TPDU. Returns response data and SW1 SW2 as they came; NULL bytes are counted in
        /// <paramref name="nulls"/>. A timeout or parity error ends with SW = -1.
        /// </summary>
        public (byte[] Data, int Sw) T0(byte[] header, byte[]? data, out int nulls)
        {
            nulls = 0;
            Turnaround();
            Send(header);
            var resp = new List<byte>();
            int p3 = header[4];
            bool sentData = false;
            int sentCount = 0;
            while (true)
            {
                int c = Receive();
                if (c < 0 || c > 0xFF) { return (resp.ToArray(), -1); }
                if (c == 0x60) { nulls++; continue; }
                if (c == (byte)~header[1])
                {
                    // ~INS: one byte at a time, in whichever direction the command goes.
                    if (data != null && sentCount < data.Length)
                    {
                        Turnaround();
                        Send(data[sentCount++]);
                        sentData = sentCount == data.Length;
                    }
                    else
                    {
                        int d = Receive();
                        if (d < 0 || d > 0xFF) { return (resp.ToArray(), -1); }
                        resp.Add((byte)d);
                    }
                    continue;
                }
                if (c == header[1])
                {
                    if (data != null && !sentData)
                    {
                        Turnaround();
                        Send(data);
                        sentData = true;
                        continue;
                    }
                    int want = p3 == 0 ? 256 : p3;
                    for (int i = 0; i < want; i++)
                    {
                        int d = Receive();
                        if (d < 0 || d > 0xFF) { return (resp.ToArray(), -1); }
                        resp.Add((byte)d);
                    }
                    continue;
                }
                if ((c & 0xF0) == 0x60 || (c & 0xF0) == 0x90)
                {
                    int sw2 = Receive();
                    if (sw2 < 0 || sw2 > 0xFF) { return (resp.ToArray(), -1); }
                    return (resp.ToArray(), (c << 8) | sw2);
                }
                return (resp.ToArray(), -2);
            }
        }

        public (byte[] Data, int Sw) T0(string header, string? data = null) => T0(Hex.Parse(header), data == null ? null : Hex.Parse(data), out _);

        /// <summary>A full APDU in T=0 with 61xx / 6Cxx handled (case 4: GET RESPONSE).</summary>
        public (byte[] Data, int Sw) T0Apdu(string apduHex)
        {
            byte[] apdu = Hex.Parse(apduHex);
            byte[] header = new byte[5];
            Array.Copy(apdu, header, 4);
            byte[]? data = null;
            if (apdu.Length == 4) { header[4] = 0; }
            else if (apdu.Length == 5) { header[4] = apdu[4]; }
            else
            {
                header[4] = apdu[4];
                data = new byte[apdu[4]];
                Array.Copy(apdu, 5, data, 0, data.Length);
            }
            var r = T0(header, data, out _);
            if ((r.Sw & 0xFF00) == 0x6C00)
            {
                header[4] = (byte)r.Sw;
                r = T0(header, null, out _);
            }
            var all = new List<byte>(r.Data);
            while ((r.Sw & 0xFF00) == 0x6100)
            {
                r = T0(new byte[] { 0x00, 0xC0, 0x00, 0x00, (byte)r.Sw }, null, out _);
                all.AddRange(r.Data);
            }
            return (all.ToArray(), r.Sw);
        }

        // ---- T=1 ----

        public byte[] Block(byte pcb, byte[] inf)
        {
            var b = new byte[3 + inf.Length + (Crc ? 2 : 1)];
            b[0] = 0; b[1] = pcb; b[2] = (byte)inf.Length;
            Array.Copy(inf, 0, b, 3, inf.Length);
            Edc.Append(b, 3 + inf.Length, Crc);
            return b;
        }

        public void SendBlock(byte[] block)
        {
            Line.Wait(Etu(22 - VirtualCardLine.CharacterEtu) + 1);
            Send(block);
        }

        /// <summary>Receives one block (BWT for the first character, CWT after); null on timeout, and the raw bytes.</summary>
        public byte[]? ReceiveBlock(long bwtCycles, long cwtCycles, out bool parityOrEdcError)
        {
            parityOrEdcError = false;
            var b = new List<byte>();
            int c = Line.Receive(bwtCycles);
            if (c < 0) { return null; }
            b.Add((byte)c);
            if (c > 0xFF) { parityOrEdcError = true; }
            int total = int.MaxValue;
            while (b.Count < total)
            {
                c = Line.Receive(cwtCycles);
                if (c < 0) { return null; }
                if (c > 0xFF) { parityOrEdcError = true; }
                b.Add((byte)c);
                if (b.Count == 3) { total = 3 + b[2] + (Crc ? 2 : 1); }
            }
            byte[] block = b.ToArray();
            if (!Edc.Check(block, 0, block.Length, Crc)) { parityOrEdcError = true; }
            return block;
        }

        public byte[] ReceiveBlock()
        {
            byte[]? b = ReceiveBlock(Etu(11) + 16 * 960 * 372L, Etu(11 + 32), out bool bad);
            Assert.NotNull(b);
            Assert.False(bad, "block with a bad EDC or parity");
            return b!;
        }

        public static byte[] Inf(byte[] block)
        {
            var r = new byte[block[2]];
            Array.Copy(block, 3, r, 0, r.Length);
            return r;
        }

        /// <summary>One APDU over T=1 with chaining both ways (IFSC of the card, IFSD 32 unless negotiated).</summary>
        public byte[] T1Apdu(byte[] apdu, int ifsc = 254)
        {
            int off = 0;
            byte[]? block;
            while (true)
            {
                int n = Math.Min(ifsc, apdu.Length - off);
                bool more = off + n < apdu.Length;
                var inf = new byte[n];
                Array.Copy(apdu, off, inf, 0, n);
                SendBlock(Block((byte)((T1Ns << 6) | (more ? 0x20 : 0)), inf));
                T1Ns ^= 1;
                off += n;
                block = ReceiveBlock();
                while (block[1] == 0xC3)
                {
                    SendBlock(Block(0xE3, Inf(block)));
                    block = ReceiveBlock();
                }
                if (!more) { break; }
                Assert.Equal(0x80, block[1] & 0xEF);
            }
            var resp = new List<byte>(Inf(block));
            while ((block[1] & 0x20) != 0)
            {
                int nr = ((block[1] >> 6) & 1) ^ 1;
                SendBlock(Block((byte)(0x80 | (nr << 4)), Array.Empty<byte>()));
                block = ReceiveBlock();
                resp.AddRange(Inf(block));
            }
            return resp.ToArray();
        }
    }
}
