using System;
using System.Collections.Generic;
using System.IO;
using Terminal.Iso7816;
using Terminal.Simulator;

namespace Terminal.Fuzz
{
    /// <summary>
    /// The seed corpus: well-formed and typical inputs of each harness, built with the engine's own
    /// encoders and the card profiles, so AFL++ starts from inputs that reach deep. Written to
    /// DIR/&lt;harness&gt;/seed-&lt;name&gt;; fuzz/corpus holds these plus what fuzzing found.
    /// </summary>
    public static class Seeds
    {
        /// <summary>Writes every seed under <paramref name="directory"/>; returns how many.</summary>
        public static int Write(string directory)
        {
            int count = 0;
            foreach (KeyValuePair<string, List<(string Name, byte[] Bytes)>> harness in All())
            {
                string folder = Path.Combine(directory, harness.Key);
                Directory.CreateDirectory(folder);
                foreach ((string name, byte[] bytes) in harness.Value)
                {
                    File.WriteAllBytes(Path.Combine(folder, "seed-" + name), bytes);
                    count++;
                }
            }
            return count;
        }

        /// <summary>The seeds by harness name.</summary>
        public static Dictionary<string, List<(string Name, byte[] Bytes)>> All()
        {
            var all = new Dictionary<string, List<(string, byte[])>>
            {
                ["atr"] = AtrSeeds(),
                ["t1"] = T1Seeds(),
                ["apdu"] = ApduSeeds(),
                ["pin"] = PinSeeds(),
                ["pseudo"] = PseudoSeeds(),
                ["sm"] = SmSeeds(),
                ["cardaccess"] = CardAccessSeeds(),
                ["card"] = CardSeeds(),
                ["sim-apdu"] = SimApduSeeds(),
                ["sim-line"] = SimLineSeeds(),
                ["host"] = HostSeeds(),
            };
            return all;
        }

        private static byte[] H(string hex)
        {
            return Convert.FromHexString(hex.Replace(" ", ""));
        }

        private static byte[] Cat(params byte[][] parts)
        {
            var s = new MemoryStream();
            foreach (byte[] p in parts)
            {
                s.Write(p, 0, p.Length);
            }
            return s.ToArray();
        }

        private static byte[] B(params int[] values)
        {
            var r = new byte[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                r[i] = (byte)values[i];
            }
            return r;
        }

        /// <summary>An ATR with its TCK appended (for ATRs offering a protocol other than T=0).</summary>
        private static byte[] WithTck(string hex)
        {
            byte[] a = H(hex);
            var r = new byte[a.Length + 1];
            Array.Copy(a, r, a.Length);
            byte x = 0;
            for (int i = 1; i < a.Length; i++)
            {
                x ^= a[i];
            }
            r[a.Length] = x;
            return r;
        }

        private static byte[] Atr(string profile)
        {
            return CardProfile.Load(profile).AtrBytes();
        }

        private static List<(string, byte[])> AtrSeeds()
        {
            return new List<(string, byte[])>
            {
                ("vitale2", Atr("vitale2")),
                ("vitale1", Atr("vitale1")),
                ("cps3", Atr("cps3")),
                ("cps4", Atr("cps4")),
                ("t1-generic", Atr("t1-generic")),
                ("t1-lrc", Atr("t1-lrc")),
                ("inverse-read-direct", H("03 65 25 00 2C 09 69 90 00")),
                ("minimal", H("3B 00")),
                ("t15-class", WithTck("3B 80 80 1F 07")),
                ("specific-mode", WithTck("3B 95 96 80 B1 FE 55 1F C7 80 31 E0")),
                ("ta1-td1-t1", WithTck("3B F8 13 00 00 81 31 FE 45 4A 43 4F 50 76 32 34 31")),
                ("td-chain", WithTck("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A")),
                ("truncated", H("3B 9F 96 80 1F")),
                ("bad-tck", H("3B 81 80 01 01")),
            };
        }

        private static byte[] Block(int nad, int pcb, byte[] inf, bool crc)
        {
            var b = new byte[T1Block.MaxBlockLength];
            int n = T1Block.Encode((byte)nad, (byte)pcb, inf, 0, inf.Length, crc, b, 0);
            var r = new byte[n];
            Array.Copy(b, r, n);
            return r;
        }

        private static List<(string, byte[])> T1Seeds()
        {
            byte[] sw = H("90 00");
            var seeds = new List<(string, byte[])>();
            foreach (bool crc in new[] { false, true })
            {
                string e = crc ? "crc" : "lrc";
                int c = crc ? 1 : 0;
                // Mode 0: blocks as the card sends them.
                seeds.Add(($"transport-{e}", Cat(B(c, 0xFF), Block(0, 0x00, H("6A 82"), crc), Block(0, 0x91, new byte[0], crc),
                    Block(0, 0xC3, B(2), crc), Block(0, 0xC1, B(0xFE), crc), Block(0, 0xE0, new byte[0], crc))));
                // Mode 1: the answer to a 5-byte command, plain, after WTX, chained.
                seeds.Add(($"answer-{e}", Cat(B(2 | c, 0x20), Block(0, 0x00, sw, crc))));
                seeds.Add(($"wtx-answer-{e}", Cat(B(2 | c, 0x20), Block(0, 0xC3, B(3), crc), Block(0, 0x00, sw, crc))));
                seeds.Add(($"chained-answer-{e}", Cat(B(2 | c, 0x20), Block(0, 0x20, H("01 02 03"), crc), Block(0, 0x40, H("04 90 00"), crc))));
                seeds.Add(($"retransmit-{e}", Cat(B(2 | c, 0x20), B(0x00, 0x00, 0x02, 0x90), B(FuzzCardLine.Escape, 0), Block(0, 0x00, sw, crc))));
                // 300-byte command at IFSC 200: the card acknowledges the first block, then answers.
                seeds.Add(($"chained-command-{e}", Cat(B(2 | c, 0xC8), Block(0, 0x90, new byte[0], crc), Block(0, 0x00, sw, crc))));
                // Mode 2: S(IFS response), then the answer; mode 3: S(RESYNCH response), then the answer.
                seeds.Add(($"ifs-{e}", Cat(B(4 | c, 0x20), Block(0, 0xE1, B(0xFE), crc), Block(0, 0x00, sw, crc))));
                seeds.Add(($"resynch-{e}", Cat(B(6 | c, 0x20), Block(0, 0xE0, new byte[0], crc), Block(0, 0x00, sw, crc))));
                seeds.Add(($"card-ifs-abort-{e}", Cat(B(2 | c, 0x20), Block(0, 0xC1, B(0x40), crc), Block(0, 0xC2, new byte[0], crc), Block(0, 0x00, sw, crc))));
            }
            return seeds;
        }

        private static List<(string, byte[])> ApduSeeds()
        {
            return new List<(string, byte[])>
            {
                ("case1", H("00 A4 00 00")),
                ("case2s", H("00 B0 00 00 00")),
                ("case3s", H("00 A4 04 00 08 A0 00 00 00 01 53 49 4D")),
                ("case4s", H("00 A4 04 00 08 A0 00 00 00 01 53 49 4D 00")),
                ("case2e", H("00 B0 00 00 00 10 00")),
                ("case3e", Cat(H("00 D6 00 00 00 01 00"), new byte[256])),
                ("case4e", Cat(H("00 2A 9E 9A 00 00 03 01 02 03 00 00"))),
                ("mismatch", H("00 A4 04 00 08 A0 00")),
                ("ext-lc-zero", H("00 A4 04 00 00 00 00 01")),
            };
        }

        private static List<(string, byte[])> PinSeeds()
        {
            byte[] verifyApdu = H("00 20 00 01 08 FF FF FF FF FF FF FF FF");
            byte[] modifyApdu = H("00 24 00 01 10 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF");
            byte[] iso9564 = H("00 20 00 01 08 20 FF FF FF FF FF FF FF");
            return new List<(string, byte[])>
            {
                // PC/SC PIN_VERIFY_STRUCTURE, ASCII in an 8-byte block, 4 to 8 digits.
                ("pcsc-verify-ascii", Cat(B(0x41, 0x1E, 0x1E, 0x82, 0x08, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0, verifyApdu.Length, 0, 0, 0), verifyApdu)),
                // The same in the CCID form.
                ("ccid-verify-ascii", Cat(B(0x40, 0x00, 0x00, 0x82, 0x08, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0), verifyApdu)),
                // ISO 9564 format 2: BCD from byte 1, 4-bit length field at bit 4.
                ("ccid-verify-iso9564", Cat(B(0x60, 0x00, 0x00, 0x89, 0x47, 0x04, 0x0C, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0), iso9564)),
                // OpenSC's variable template: block size 0, Lc 0.
                ("ccid-verify-variable", Cat(B(0x40, 0x00, 0x00, 0x82, 0x00, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0), H("00 20 00 01 00"))),
                // PC/SC PIN_MODIFY_STRUCTURE with current PIN and confirmation.
                ("pcsc-modify", Cat(B(0x42, 0x1E, 0x1E, 0x82, 0x08, 0x00, 0x00, 0x08, 0x08, 0x04, 0x03, 0x02, 0x03, 0x09, 0x04, 0x00, 0x01, 0x02, 0, 0, 0, modifyApdu.Length, 0, 0, 0), modifyApdu)),
                // CCID modify, three message indexes (libccid generic), Auto layout.
                ("ccid-modify-three", Cat(B(0x40, 0x01, 0x00, 0x82, 0x08, 0x00, 0x00, 0x08, 0x08, 0x04, 0x03, 0x02, 0x03, 0x09, 0x04, 0x00, 0x01, 0x02, 0, 0, 0), modifyApdu)),
                // CCID modify, one message index (OpenSC boxing), OnlyFirst layout.
                ("ccid-modify-one", Cat(B(0x4C, 0x01, 0x00, 0x82, 0x08, 0x00, 0x00, 0x08, 0x08, 0x04, 0x03, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0), modifyApdu)),
            };
        }

        private static byte[] Pseudo(int capacityUnits, byte[] apdu, byte[] world)
        {
            return Cat(B((capacityUnits << 1) | (apdu.Length >> 8), apdu.Length & 0xFF), apdu, world);
        }

        private static List<(string, byte[])> PseudoSeeds()
        {
            byte[] verifyApdu = H("00 20 00 01 08 FF FF FF FF FF FF FF FF");
            byte[] pcscVerify = Cat(B(0x1E, 0x1E, 0x82, 0x08, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0, verifyApdu.Length, 0, 0, 0), verifyApdu);
            byte[] ccidVerify = Cat(B(0x00, 0x00, 0x82, 0x08, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0), verifyApdu);
            byte[] boxed = Cat(B(0x69, ccidVerify.Length, 0, 0, 0, 0x01, 0x07, 0, 0, 0), ccidVerify);
            byte[] modifyApdu = H("00 24 00 01 10 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF");
            byte[] pcscModify = Cat(B(0x1E, 0x1E, 0x82, 0x08, 0x00, 0x00, 0x08, 0x08, 0x04, 0x03, 0x02, 0x03, 0x09, 0x04, 0x00, 0x01, 0x02, 0, 0, 0, modifyApdu.Length, 0, 0, 0), modifyApdu);
            byte[] keys1234 = B(1, 2, 3, 4, 10);
            byte[] ok = B(0x01, 0x90, 0x00);
            return new List<(string, byte[])>
            {
                ("reader-info-vendor", Pseudo(16, H("FF 9A 01 01 00"), new byte[0])),
                ("reader-info-driver", Pseudo(16, H("FF 9A 01 07"), new byte[0])),
                ("features", Pseudo(16, H("FF C2 01 00 00"), new byte[0])),
                ("pin-properties", Pseudo(16, H("FF C2 01 0A 00"), new byte[0])),
                ("tlv-properties", Pseudo(32, H("FF C2 01 12 00"), new byte[0])),
                ("ppdu-verify", Pseudo(64, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify), Cat(keys1234, ok))),
                ("ppdu-verify-wrong-pin", Pseudo(64, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify), Cat(B(9, 9, 9, 9, 10), B(0x01, 0x63, 0xC2)))),
                ("ppdu-verify-cancel", Pseudo(64, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify), B(1, 2, 11))),
                ("ppdu-verify-correction", Pseudo(64, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify), Cat(B(1, 2, 12, 2, 3, 4, 5, 10), ok))),
                ("ppdu-verify-removed", Pseudo(64, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify), B(1, 2, 14))),
                ("ppdu-modify", Pseudo(64, Cat(H("FF C2 01 07"), B(pcscModify.Length), pcscModify), Cat(keys1234, B(5, 6, 7, 8, 10), B(5, 6, 7, 8, 10), ok))),
                ("ppdu-modify-mismatch", Pseudo(64, Cat(H("FF C2 01 07"), B(pcscModify.Length), pcscModify), Cat(keys1234, B(5, 6, 7, 8, 10), B(5, 6, 7, 9, 10)))),
                ("boxed-verify", Pseudo(64, Cat(H("FF 9A 04 10"), B(boxed.Length), boxed), Cat(keys1234, ok))),
                ("boxed-verify-mute", Pseudo(64, Cat(H("FF 9A 04 10"), B(boxed.Length), boxed), Cat(keys1234, B(0x00)))),
                ("not-pseudo", Pseudo(16, H("00 A4 04 00 02 3F 00"), new byte[0])),
                ("unsupported", Pseudo(16, H("FF 9A 02 00"), new byte[0])),
            };
        }

        private static List<(string, byte[])> SmSeeds()
        {
            var seeds = new List<(string, byte[])>();
            string[] suites = { "t8", "t16", "aes", "3des" };
            for (int s = 0; s < 4; s++)
            {
                // Round trip (mode 2): flags, tamper position, SW, data.
                seeds.Add(($"roundtrip-{suites[s]}", Cat(B(s | (2 << 2) | (15 << 4), 0x00), B(0x00, 0x00, 0x90, 0x00), H("01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11"))));
                seeds.Add(($"roundtrip-odd-{suites[s]}", Cat(B(s | (2 << 2) | (15 << 4), 0xFF), B(0x01, 0x00, 0x62, 0x82), H("AA BB CC"))));
                seeds.Add(($"roundtrip-status-{suites[s]}", Cat(B(s | (2 << 2) | (15 << 4), 0x05), B(0x02, 0x00, 0x69, 0x82))));
                // Wrap (mode 1) of short and extended commands.
                seeds.Add(($"wrap-case4-{suites[s]}", Cat(B(s | (1 << 2) | (15 << 4), 0x00), H("00 A4 04 0C 08 A0 00 00 00 01 53 49 4D 00"))));
                seeds.Add(($"wrap-case2e-{suites[s]}", Cat(B(s | (1 << 2) | (15 << 4), 0x00), H("00 B0 00 00 00 01 00"))));
            }
            for (int s = 2; s < 4; s++)
            {
                seeds.Add(($"tamper-{suites[s]}", Cat(B(s | (3 << 2) | (15 << 4), 0x00), B(0x00, 0x07, 0x90, 0x00), H("01 02 03 04"))));
            }
            // Mode 0 with the transparent cipher: DO'87', DO'99', DO'8E' with the all-zero checksum.
            seeds.Add(("unwrap-t8", Cat(B(0 | (15 << 4), 0x00), H("87 09 01 41 42 43 80 00 00 00 00 99 02 90 00 8E 08 00 00 00 00 00 00 00 00 90 00"))));
            seeds.Add(("unwrap-t16-badpad", Cat(B(1 | (15 << 4), 0x00), H("87 11 01 41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50 99 02 90 00 8E 08 00 00 00 00 00 00 00 00 90 00"))));
            seeds.Add(("unwrap-plain", Cat(B(2 | (15 << 4), 0x00), H("6A 82"))));
            return seeds;
        }

        private static List<(string, byte[])> CardAccessSeeds()
        {
            return new List<(string, byte[])>
            {
                ("gm-aes128-p256", H("31143012060A04007F0007020204020202010202010D")),
                ("eid", H("3181C1300D060804007F00070202020201023012060A04007F000702020302020201020201413012060A04007F0007020204020202010202010D"
                    + "301C060904007F000702020302300C060704007F0007010202010D020141302A060804007F0007020206161E687474703A2F2F6273692E62756E64"
                    + "2E64652F6369662F6E70612E786D6C303E060804007F000702020831323012060A04007F00070202030202020102020145301C060904007F0007"
                    + "02020302300C060704007F0007010202010D020145")),
                ("two-pace", H("3128" + "3012060A04007F00070202040602020102020110" + "3012060A04007F0007020204020402010202010C")),
                ("no-parameter", H("3111300F060A04007F00070202040202020102")),
                ("empty-set", H("3100")),
            };
        }

        private static List<(string, byte[])> CardSeeds()
        {
            byte[] t1Atr = Atr("t1-generic");
            byte[] t0Atr = Atr("vitale2");
            bool crc = true;
            return new List<(string, byte[])>
            {
                // T=0: case 2 (B0, Le 16): ACK then 16 bytes then 90 00.
                ("t0-case2", Cat(B(0x08), t0Atr, B(0xB0), new byte[16], H("90 00"))),
                // T=0: case 2 with Le 00 answered 6C 10, then the data.
                ("t0-6c", Cat(B(0x04), t0Atr, H("6C 10 B0"), new byte[16], H("90 00"))),
                // T=0: case 4: ACK, 61 10, GET RESPONSE ACK, data, 90 00; with NULL bytes.
                ("t0-case4", Cat(B(0x10), t0Atr, H("60 D6 61 10 C0"), new byte[16], H("90 00"))),
                // T=0 with PPS: echo of the request the engine builds for TA1 = 13.
                ("t0-pps", Cat(B(0x09), t0Atr, H("FF 10 13 FC"), B(0xB0), new byte[16], H("90 00"))),
                ("t1-case1", Cat(B(0x00), t1Atr, Block(0, 0x00, H("90 00"), crc))),
                ("t1-ifs-case4", Cat(B(0x12), t1Atr, Block(0, 0xE1, B(0xFE), crc), Block(0, 0x00, H("01 02 90 00"), crc))),
                ("t1-pps", Cat(B(0x01), t1Atr, H("FF 11 18 F6"), Block(0, 0x00, H("90 00"), crc))),
            };
        }

        private static byte[] Records(int selector, params byte[][] commands)
        {
            var s = new MemoryStream();
            s.WriteByte((byte)selector);
            foreach (byte[] c in commands)
            {
                if (c.Length == 0)
                {
                    s.WriteByte(0xFE);
                    continue;
                }
                if (c.Length >= 0xFE)
                {
                    s.WriteByte(0xFF);
                    s.WriteByte((byte)(c.Length >> 8));
                    s.WriteByte((byte)c.Length);
                }
                else
                {
                    s.WriteByte((byte)c.Length);
                }
                s.Write(c, 0, c.Length);
            }
            return s.ToArray();
        }

        private static List<(string, byte[])> SimApduSeeds()
        {
            byte[] reset = new byte[0];
            return new List<(string, byte[])>
            {
                ("generic-fs", Records(0, H("00 A4 04 00 08 A0 00 00 00 01 53 49 4D"), H("00 B0 81 00 10"), H("00 D6 00 00 04 01 02 03 04"),
                    H("00 B0 00 00 00"), H("00 A4 02 0C 02 01 03"), H("00 B2 01 04 00"), H("00 A4 00 0C 02 3F 00"), H("00 A4 08 0C 04 10 00 01 04"),
                    H("00 B0 84 00 00"), reset, H("00 CA 00 66 00"))),
                ("vitale2", Records(1, H("00 A4 04 00 0E D2 50 00 00 02 4D 46 5F 56 49 54 41 4C 45"), H("00 B2 01 14 00"), H("00 B0 82 00 00"),
                    H("00 A4 04 00 0B D2 50 00 00 02 56 49 54 41 4C 45"), H("00 B2 01 24 00"), H("00 B2 01 2C 00"), H("00 B0 90 00 00"))),
                ("vitale1", Records(2, H("BC B0 81 00 00"), H("00 A4 04 00 02 3F 00"))),
                ("cps3", Records(3, H("00 A4 04 00 0D E8 28 BD 08 0F 80 25 00 00 01 FF 00 10"), H("00 20 00 01 00"), H("00 20 00 01 04 31 32 33 34"),
                    H("00 22 41 B6 06 84 01 81 80 01 12"), H("00 2A 90 A0 22 90 20 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F"),
                    H("00 2A 9E 9A 00"), H("00 CB 3F FF 0A 4D 08 70 06 BF 81 01 02 A0 80 00"), H("00 24 00 01 08 31 32 33 34 35 36 37 38"), H("00 84 00 00 08"))),
            };
        }

        // One host write of a CCID message in libccid's serial framing (SYNC ACK message LRC), as a
        // record of the host harness (length byte, or F0 and the length past 240).
        private static byte[] HostWrite(byte type, int slot, int seq, byte b7, byte b8, byte b9, byte[] data)
        {
            byte[] frame = new byte[2 + 10 + data.Length + 1];
            frame[0] = 0x03;
            frame[1] = 0x06;
            frame[2] = type;
            frame[3] = (byte)data.Length;
            frame[4] = (byte)(data.Length >> 8);
            frame[7] = (byte)slot;
            frame[8] = (byte)seq;
            frame[9] = b7;
            frame[10] = b8;
            frame[11] = b9;
            Array.Copy(data, 0, frame, 12, data.Length);
            int lrc = 0;
            for (int i = 0; i < frame.Length - 1; i++)
            {
                lrc ^= frame[i];
            }
            frame[frame.Length - 1] = (byte)lrc;
            return HostRecord(frame);
        }

        private static byte[] HostRecord(byte[] bytes)
        {
            return bytes.Length < 240 ? Cat(B(bytes.Length), bytes) : Cat(B(0xF0, bytes.Length - 240), bytes);
        }

        private static List<(string, byte[])> HostSeeds()
        {
            byte[] none = new byte[0];
            byte[] startSec = Cat(HostWrite(0x6B, 0, 0, 0, 0, 0, B(0x06)), HostWrite(0x6B, 0, 1, 0, 0, 0, B(0x01, 0x01, 0x01)), HostWrite(0x65, 0, 2, 0, 0, 0, none), HostWrite(0x65, 1, 3, 0, 0, 0, none));
            byte[] startGem = Cat(HostWrite(0x6B, 0, 0, 0, 0, 0, B(0x02)), HostWrite(0x6B, 0, 1, 0, 0, 0, B(0x01, 0x01, 0x01)), HostWrite(0x6B, 0, 2, 0, 0, 0, Cat(H("B2 A0 00 4D 4C"), new byte[160])), HostWrite(0x65, 0, 3, 0, 0, 0, none));
            byte[] powerOn0 = HostWrite(0x62, 0, 4, 0, 0, 0, none);
            byte[] powerOn1 = HostWrite(0x62, 1, 5, 0, 0, 0, none);
            byte[] pcscVerify = Cat(B(0x1E, 0x1E, 0x82, 0x08, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0, 13, 0, 0, 0), H("00 20 00 01 08 FF FF FF FF FF FF FF FF"));
            byte[] ccidVerify = Cat(B(0x00, 0x1E, 0x1E, 0x82, 0x08, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0), H("00 20 00 01 08 FF FF FF FF FF FF FF FF"));
            byte keys1234 = 5 << 4;
            byte[] keys = B(1, 2, 3, 4, 10);
            return new List<(string, byte[])>
            {
                ("startup-sec1210", Cat(B(0), startSec)),
                ("startup-gempcpinpad", Cat(B(1), startGem)),
                ("power-on-select-read", Cat(B(0), startSec, powerOn0, HostWrite(0x6F, 0, 6, 0, 0, 0, H("00 A4 00 00 02 3F 00")), HostWrite(0x6F, 0, 7, 0, 0, 0, H("00 B0 00 00 10")), HostWrite(0x63, 0, 8, 0, 0, 0, none))),
                ("power-on-classes", Cat(B(0), powerOn1, HostWrite(0x62, 1, 6, 1, 0, 0, none), HostWrite(0x62, 1, 7, 2, 0, 0, none), HostWrite(0x62, 1, 8, 3, 0, 0, none), HostWrite(0x62, 1, 9, 4, 0, 0, none))),
                ("parameters", Cat(B(0), powerOn0, HostWrite(0x6C, 0, 6, 0, 0, 0, none), HostWrite(0x6D, 0, 7, 0, 0, 0, none), HostWrite(0x61, 0, 8, 0, 0, 0, H("13 00 00 0A 00")), HostWrite(0x61, 0, 9, 1, 0, 0, H("11 10 00 45 00 FE 00")))),
                ("escapes", Cat(B(0), HostWrite(0x6B, 0, 0, 0, 0, 0, B(0x06)), HostWrite(0x6B, 0, 1, 0, 0, 0, B(0x6A)), HostWrite(0x6B, 0, 2, 0, 0, 0, none), HostWrite(0x6B, 5, 3, 0, 0, 0, B(0x99, 0x01)))),
                ("clock-t0apdu-mechanical-abort-datarate", Cat(B(0), powerOn0, HostWrite(0x6E, 0, 6, 1, 0, 0, none), HostWrite(0x6E, 0, 7, 0, 0, 0, none), HostWrite(0x6A, 0, 8, 3, 0, 0, none), HostWrite(0x71, 0, 9, 1, 0, 0, none), HostWrite(0x72, 0, 10, 0, 0, 0, none), HostWrite(0x73, 0, 11, 0, 0, 0, H("A0 0F 00 00 00 2A 00 00")))),
                ("secure-gempcpinpad-verify", Cat(B(1 | keys1234), keys, startGem, HostWrite(0x62, 0, 4, 0, 0, 0, none), HostWrite(0x69, 0, 5, 0, 0, 0, ccidVerify))),
                ("ppdu-verify-sec1210", Cat(B(keys1234), keys, startSec, powerOn1, HostWrite(0x6F, 1, 6, 0, 0, 0, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify)))),
                ("ppdu-verify-cancel-timeout", Cat(B(3 << 4), B(1, 2, 11), startSec, powerOn1, HostWrite(0x6F, 1, 6, 0, 0, 0, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify)), HostWrite(0x6F, 1, 7, 0, 0, 0, Cat(H("FF C2 01 06"), B(pcscVerify.Length), pcscVerify)))),
                ("pseudo-apdus", Cat(B(0), powerOn1, HostWrite(0x6F, 1, 6, 0, 0, 0, H("FF C2 01 00 00")), HostWrite(0x6F, 1, 7, 0, 0, 0, H("FF C2 01 12 00")), HostWrite(0x6F, 1, 8, 0, 0, 0, H("FF 9A 01 01 00")))),
                ("clear-pin-refused", Cat(B(0), powerOn1, HostWrite(0x6F, 1, 6, 0, 0, 0, H("00 20 00 01 04 31 32 33 34")))),
                ("long-escape-and-xfr", Cat(B(0), HostWrite(0x6B, 0, 0, 0, 0, 0, new byte[261]), powerOn0, HostWrite(0x6F, 0, 7, 0, 0, 0, Cat(H("00 D6 00 00 FF"), new byte[255])))),
                ("unknown-type-invalid-slot", Cat(B(0), HostWrite(0x10, 0, 0, 0, 0, 0, none), HostWrite(0x65, 2, 1, 0, 0, 0, none), HostWrite(0x62, 0xFF, 2, 0, 0, 0, none))),
                ("bad-lrc", Cat(B(0), B(13), H("03 06 65 00 00 00 00 00 02 00 00 00 63"), HostWrite(0x65, 0, 3, 0, 0, 0, none))),
                ("garbage-then-frame", Cat(B(0), B(4), H("55 AA 03 15"), HostWrite(0x65, 0, 1, 0, 0, 0, none))),
                ("truncated-then-frame", Cat(B(0), B(7), H("03 06 6F 05 00 00 00"), HostWrite(0x65, 0, 1, 0, 0, 0, none))),
                ("oversized-dwlength", Cat(B(0), B(12), H("03 06 6F FF 01 00 00 00 00 00 00 00"), HostWrite(0x65, 0, 1, 0, 0, 0, none))),
                ("frame-split-over-writes", Cat(B(0), B(0xF1, 5), H("03 06 65 00 00"), B(8), H("00 00 02 00 00 00 62 03"))),
                ("card-removed-during-exchange", Cat(B(0), powerOn0, B(0xF4, 0, 8), HostWrite(0x6F, 0, 6, 0, 0, 0, H("00 B0 00 00 FF")), HostWrite(0x65, 0, 7, 0, 0, 0, none), B(0xF2, 0), HostWrite(0x62, 0, 8, 0, 0, 0, none))),
                ("card-faults", Cat(B(0), B(0xF3, 0, 0), powerOn0, B(0xF3, 8, 3), B(0xF3, 14, 0), powerOn0, B(0xF3, 1, 5), powerOn1)),
                ("host-gone", Cat(B(0), startSec, powerOn0, B(0), startSec)),
            };
        }

        private static List<(string, byte[])> SimLineSeeds()
        {
            byte[] select = H("00 A4 04 00 08 A0 00 00 00 01 53 49 4D");
            byte[] block = Block(0, 0x00, select, true);
            byte[] blockLrc = Block(0, 0x00, select, false);
            byte[] readBlock = Block(0, 0x40, H("00 B0 81 00 10"), true);
            return new List<(string, byte[])>
            {
                // t1-generic, no PPS: SELECT then READ BINARY in I-blocks, an R-block, S(RESYNCH).
                ("t1-generic", Cat(B(0x00), B(block.Length), block, B(readBlock.Length), readBlock, B(4), Block(0, 0x90, new byte[0], true), B(4), Block(0, 0xC0, new byte[0], true))),
                ("t1-lrc-pps", Cat(B(0x21), B(blockLrc.Length), blockLrc, B(0xFF, 0x00))),
                // vitale2 in T=0: header, then data after the ACK; GET RESPONSE.
                ("vitale2-t0", Cat(B(0x02), B(5), H("00 A4 04 00 0B"), B(11), H("D2 50 00 00 02 56 49 54 41 4C 45"), B(5), H("00 C0 00 00 00"), B(5), H("00 B0 82 00 00"))),
                ("vitale1", Cat(B(0x03), B(5), H("BC B0 81 00 00"))),
                ("cps3-verify", Cat(B(0x04), B(5), H("00 A4 04 00 0D"), B(13), H("E8 28 BD 08 0F 80 25 00 00 01 FF 00 10"), B(5), H("00 20 00 01 04"), B(4), H("31 32 33 34"))),
                ("cps4-pps-reset", Cat(B(0x25), B(5), H("00 A4 00 00 00"), B(0xFF, 0x01), B(0xFF, 0x02, 0x11), B(4), H("FF 10 11 FE"))),
                ("wrong-rate", Cat(B(0x00), B(0xFF, 0x02, 0x18), B(block.Length), block, B(0xFF, 0x03, 0x40))),
            };
        }
    }
}
