using System;
using Terminal.Iso7816;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// T=1 from the card's side: the input is what the card sends. Byte 0 chooses the mode and EDC,
    /// byte 1 the capacity or IFSC and the command; the rest is the card's characters (with the line
    /// events of <see cref="FuzzCardLine"/>). Modes: 0 blocks read by <see cref="T1Transport.ReceiveBlock"/>
    /// until the card falls silent; 1-3 the APDU-level protocol (<see cref="T1Protocol.Transmit"/>,
    /// after S(IFS) negotiation in mode 2, after S(RESYNCH) in mode 3). Checks: lengths within the
    /// capacity, only documented errors, <see cref="T1Transport.EdcValid"/> equal to
    /// <see cref="T1Block.IsValid"/> and to an independent EDC check, no write outside the
    /// response area, and every block the reader sends well formed (EDC, LEN &lt;= IFSC, PCB).
    /// </summary>
    public sealed class T1Harness : Harness
    {
        /// <inheritdoc/>
        public override string Name => "t1";

        /// <inheritdoc/>
        public override string Description => "card's T=1 characters: T1Transport.ReceiveBlock, T1Block.IsValid, T1Protocol.Transmit/NegotiateIfsd/Resynch";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length < 2)
            {
                // The check alone on what there is.
                CheckEdcAgreement(data, 0, data.Length, false);
                CheckEdcAgreement(data, 0, data.Length, true);
                return "short";
            }
            bool crc = (data[0] & 1) != 0;
            int mode = (data[0] >> 1) & 3;
            CheckEdcAgreement(data, 2, data.Length - 2, crc);

            var line = new FuzzCardLine(data, 2, budget, escapes: true);
            var timing = new Timing();
            timing.Reset(line.ClockHz);
            return mode == 0 ? Transport(data, line, timing, crc, budget) : Protocol(data, line, timing, crc, mode);
        }

        private static string Transport(byte[] data, FuzzCardLine line, Timing timing, bool crc, Budget budget)
        {
            var transport = new T1Transport(line, timing) { UsesCrc = crc };
            int capacity = data[1] + 4;                       // 4 .. 259 (T1Block.MaxBlockLength)
            var buffer = new byte[Guard + capacity + Guard];
            int blocks = 0;
            int last = 0;
            while (true)
            {
                budget.Step("ReceiveBlock loop");
                Fill(buffer);
                transport.WtxMultiplier = 1 + (blocks & 3);
                int r = transport.ReceiveBlock(buffer, Guard, capacity);
                CheckGuards(buffer, Guard, capacity, "ReceiveBlock");
                Check(IsLengthOrTransmissionError(r, capacity), $"ReceiveBlock returned {r} with capacity {capacity}");
                Check(r == TransmissionError.Mute || r == TransmissionError.CardRemoved || r == TransmissionError.ParityError
                    || r == TransmissionError.Overrun || r >= 0, $"ReceiveBlock returned the undocumented {TransmissionError.Name(r)}");
                if (r >= 0)
                {
                    Check(r >= T1Block.PrologueLength + T1Block.EdcLength(crc), $"a {r}-byte block");
                    Check(r == T1Block.PrologueLength + buffer[Guard + 2] + T1Block.EdcLength(crc), $"a {r}-byte block with LEN {buffer[Guard + 2]}");
                    bool valid = T1Block.IsValid(buffer, Guard, r, crc);
                    Check(transport.EdcValid == (valid && buffer[Guard + 2] <= T1Block.MaxInformationLength), $"EdcValid {transport.EdcValid}, IsValid {valid}");
                    Check(transport.WtxMultiplier == 1, "the WTX multiplier outlived its block");
                    blocks++;
                }
                else
                {
                    Check(!transport.EdcValid, $"EdcValid after {TransmissionError.Name(r)}");
                }
                last = r;
                if (r == TransmissionError.Mute && line.Remaining == 0 || r == TransmissionError.CardRemoved)
                {
                    break;
                }
            }
            return $"{blocks} blocks, then {TransmissionError.Name(last)}";
        }

        private static string Protocol(byte[] data, FuzzCardLine line, Timing timing, bool crc, int mode)
        {
            var protocol = new T1Protocol(line, timing);
            int ifsc = data[1] == 0 || data[1] == 255 ? 32 : data[1];
            protocol.Reset(ifsc, crc);
            int expectedIfsd = 32;
            line.OnSend = (b, o, n) => CheckReaderBlock(b, o, n, crc, protocol.Ifsc);

            string prefix = "";
            if (mode == 2)
            {
                int s = protocol.NegotiateIfsd(T1Protocol.DefaultIfsd);
                Check(s == 0 || IsLengthOrTransmissionError(s, 0), $"NegotiateIfsd returned {s}");
                if (s == 0)
                {
                    expectedIfsd = T1Protocol.DefaultIfsd;
                }
                Check(protocol.Ifsd == expectedIfsd || s < 0, $"IFSD {protocol.Ifsd} after NegotiateIfsd returned {s}");
                prefix = $"IFS {TransmissionError.Name(s)}, ";
            }
            else if (mode == 3)
            {
                int s = protocol.Resynch();
                Check(s == 0 || IsLengthOrTransmissionError(s, 0), $"Resynch returned {s}");
                if (s == 0)
                {
                    Check(protocol.SendSequence == 0 && protocol.ReceiveSequence == 0, "sequence numbers not reset by RESYNCH");
                }
                prefix = $"RESYNCH {TransmissionError.Name(s)}, ";
            }

            // A command whose size makes the reader chain (or not) at this IFSC.
            int size = Sizes[(data[1] >> 5) & 7];
            var command = new byte[size];
            for (int i = 0; i < size; i++)
            {
                command[i] = (byte)(i * 7 + 1);
            }
            int capacity = 258 + (data[0] >> 3) * 64;   // 258 .. 2242
            var response = new byte[Guard + capacity + Guard];
            Fill(response);
            int r = protocol.Transmit(command, 0, size, response, Guard, capacity);
            CheckGuards(response, Guard, capacity, "Transmit");
            Check(IsLengthOrTransmissionError(r, capacity), $"Transmit returned {r} with capacity {capacity}");
            Check(r != TransmissionError.BadCommand && r != TransmissionError.NotActive, $"Transmit returned {TransmissionError.Name(r)} for a valid command");
            if (r == TransmissionError.Deactivated)
            {
                Check(protocol.IsDeactivated, "Deactivated returned but the protocol is not deactivated");
            }
            Check(protocol.Ifsc >= 1 && protocol.Ifsc <= 254, $"IFSC {protocol.Ifsc}");
            Check(protocol.SendSequence is 0 or 1 && protocol.ReceiveSequence is 0 or 1, "sequence numbers not 0 or 1");
            return prefix + (r >= 0 ? $"response {r} bytes" : TransmissionError.Name(r));
        }

        private static readonly int[] Sizes = { 4, 5, 20, 60, 254, 255, 300, 1000 };

        /// <summary>A block the reader sends: well formed for the protocol's EDC and the card's IFSC.</summary>
        private static void CheckReaderBlock(byte[] b, int o, int n, bool crc, int ifsc)
        {
            Check(n >= T1Block.PrologueLength + T1Block.EdcLength(crc), $"the reader sent {n} bytes");
            Check(T1Block.IsValid(b, o, n, crc), "the reader sent a block with a wrong EDC or LEN");
            int pcb = b[o + 1];
            int len = b[o + 2];
            if (T1Block.IsIBlock(pcb))
            {
                Check(len <= ifsc, $"the reader sent an I-block of {len} bytes with IFSC {ifsc}");
                Check((pcb & 0x1F) == 0, $"the reader sent the I-block PCB {pcb:X2} with RFU bits");
            }
            else if (T1Block.IsRBlock(pcb))
            {
                Check(len == 0 && (pcb & 0x2C) == 0, $"the reader sent the R-block PCB {pcb:X2} LEN {len}");
            }
            else
            {
                Check(T1Block.IsSBlock(pcb) && (pcb & 0x1C) == 0, $"the reader sent PCB {pcb:X2}");
            }
        }

        /// <summary>T1Block.IsValid against an independent reading of §11.4.4 (LEN, then LRC or CRC).</summary>
        private static void CheckEdcAgreement(byte[] b, int o, int n, bool crc)
        {
            bool valid = T1Block.IsValid(b, o, n, crc);
            int edc = crc ? 2 : 1;
            bool expected = n >= 3 + edc && b[o + 2] <= 254 && n == 3 + b[o + 2] + edc
                && Terminal.Simulator.Edc.Check(b, o, n, crc);
            Check(valid == expected, $"T1Block.IsValid says {valid} for a {n}-byte block, the reference {expected}");
        }
    }
}
