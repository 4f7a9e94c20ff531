using System;
using System.Linq;
using Terminal.Ccid;
using Terminal.Desktop;
using Terminal.Desktop.VirtualBoard;
using Terminal.Iso7816.Desktop;
using Terminal.Pace;
using Terminal.PinPad;
using Terminal.Simulator;
using Terminal.Simulator.Pace;
using Terminal.Slots;
using Xunit;

namespace Terminal.Tests.Pace
{
    /// <summary>
    /// The firmware's CCID device with the PIN pad and PACE installed, over the virtual board (virtual time, keypad,
    /// LEDs) with the simulated PACE card in the CPx slot: what a host sends (PC_to_RDR_Secure, the boxing and PPDU
    /// pseudo-APDUs, then plain APDUs) and what it gets back.
    /// </summary>
    internal sealed class PaceCcidRig
    {
        public readonly VirtualBoard Board = new VirtualBoard();
        public readonly CardSlot[] Slots;
        public readonly CcidDevice Device;
        public readonly CcidPinPad PinPad;
        public readonly CcidPace Pace;
        public readonly PaceService Service;
        public VirtualCard Card = null!;
        public PaceCardApplication App = null!;
        public readonly int CcidSlot;
        private byte _seq;

        /// <summary>The device in <paramref name="profile"/>; the PACE card of <paramref name="cardProfile"/> in slot 1,
        /// its application seen through <paramref name="wrap"/> when given.</summary>
        public PaceCcidRig(ReaderProfile profile, string cardProfile = "pace-test", Func<PaceCardApplication, VirtualSlot, ICardApplication>? wrap = null,
            Terminal.Desktop.Soak.IBoardProbe? probe = null)
        {
            Terminal.Boards.IBoard binding = probe == null
                ? new VirtualBoardBinding(Board)
                : new Terminal.Desktop.Soak.ProbedBoard(new VirtualBoardBinding(Board), probe);
            Slots = new CardSlot[2];
            for (int i = 0; i < 2; i++)
            {
                Slots[i] = new CardSlot(i, binding.GetCardLine(i), binding.Indicators, binding.VoltageSupport, binding.MaxDataRate);
                Slots[i].ReaderDoesPps = profile.ReaderDoesPps;
                Slots[i].ApduLevel = profile.Level == ExchangeLevel.ExtendedApdu;
            }
            Device = new CcidDevice(Slots, profile, "Terminal test 0.1.0", profile.Level == ExchangeLevel.ExtendedApdu ? 4096 : 0);
            Device.RecogniseProfile = false;
            var pins = new SecurePinService(binding.Keypad!, binding.Display, binding.Indicators, binding.Clock);
            PinPad = new CcidPinPad(Device, Slots, pins, new ReaderProperties { FirmwareVersion = "0.1.0", ExecutePace = true }, new PinPolicy(2));
            Device.SecureHandler = PinPad;
            Service = new PaceService(pins.Entry, binding.Clock, DesktopCipherFactory.Instance, new DesktopEcProvider());
            Pace = new CcidPace(Slots, Service);
            PinPad.Pace = Pace;
            CcidSlot = profile == ReaderProfile.GemPcPinPad ? 0 : 1;
            Insert(cardProfile, wrap);
        }

        public void Insert(string cardProfile, Func<PaceCardApplication, VirtualSlot, ICardApplication>? wrap = null)
        {
            VirtualCard plain = PaceCard.FromProfile(cardProfile);
            App = (PaceCardApplication)plain.Application;
            Card = wrap == null ? plain : new VirtualCard(plain.Profile, wrap(App, Board.Slots[1]));
            Board.Slots[1].Insert(Card);
        }

        public PaceSession Session => Pace.Session(1);

        /// <summary>One PC_to_RDR message; the whole reply.</summary>
        public byte[] Send(byte type, byte b7, byte b8, byte b9, byte[] data)
        {
            var m = new byte[10 + data.Length];
            m[0] = type;
            CcidDevice.WriteInt(m, 1, data.Length);
            m[5] = (byte)CcidSlot;
            m[6] = _seq++;
            m[7] = b7;
            m[8] = b8;
            m[9] = b9;
            data.CopyTo(m, 10);
            var reply = new byte[CcidDevice.ResponseBufferLength];
            int n = Device.Process(m, m.Length, reply);
            Assert.Equal(m[6], reply[6]);
            return reply[..n];
        }

        public void PowerOn()
        {
            byte[] r = Send(0x62, 0, 0, 0, Array.Empty<byte>());
            Assert.Equal(0, r[7] & 0x40);
        }

        /// <summary>An APDU at APDU level (native USB profile): the card's or the reader's answer, whole.</summary>
        public byte[] Apdu(byte[] apdu)
        {
            byte[] r = Send(0x6F, 0, 0, 0, apdu);
            Assert.True((r[7] & 0x40) == 0, $"XfrBlock failed, bError {r[8]:X2}");
            byte[] all = r[10..];
            while (r[9] == 1 || r[9] == 3)
            {
                r = Send(0x6F, 0, 0x10, 0, Array.Empty<byte>());
                all = all.Concat(r[10..]).ToArray();
            }
            return all;
        }

        public byte[] Apdu(string hex) => Apdu(PaceHostInterfaceTests.H(hex));

        public static int Sw(byte[] answer) => (answer[^2] << 8) | answer[^1];

        /// <summary>PC_to_RDR_Secure with <paramref name="abData"/> (bPINOperation first); status, bError and data.</summary>
        public (int Status, int Error, byte[] Data) Secure(byte[] abData)
        {
            byte[] r = Send(0x69, 0, 0, 0, abData);
            return (r[7], r[8], r[10..]);
        }

        /// <summary>TR-03119 boxed EstablishPACEChannel (FF 9A 04 02) with the DER input of <paramref name="inner"/>.</summary>
        public BoxedOutput Establish(string inner)
        {
            byte[] body = PaceHostInterfaceTests.H(inner);
            byte[] der = new byte[] { 0x30, (byte)body.Length }.Concat(body).ToArray();
            byte[] apdu = new byte[] { 0xFF, 0x9A, 0x04, 0x02, (byte)der.Length }.Concat(der).Concat(new byte[] { 0x00 }).ToArray();
            byte[] answer = Apdu(apdu);
            return BoxedOutput.Parse(answer);
        }

        public static string Keypad(int passwordId) => $"A1 03 02 01 {passwordId:X2}";

        public static string Host(int passwordId, string password) =>
            Keypad(passwordId) + $" A2 {password.Length + 2:X2} 12 {password.Length:X2} " + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(password));
    }

    /// <summary>The boxed EstablishPACEChannel output a host decodes: errorCode (as OpenSC reads it), MSE status, EF.CardAccess.</summary>
    internal sealed record BoxedOutput(int Sw, uint Result, int MseStatus, byte[] CardAccess)
    {
        public static BoxedOutput Parse(byte[] answer)
        {
            int sw = PaceCcidRig.Sw(answer);
            if (sw != 0x9000)
            {
                return new BoxedOutput(sw, 0xFFFFFFFF, -1, Array.Empty<byte>());
            }
            Assert.Equal(0x30, answer[0]);
            int p = 2;
            if (answer[1] == 0x81) { p = 3; } else if (answer[1] == 0x82) { p = 4; }
            Assert.Equal(new byte[] { 0xA1, 6, 4, 4 }, answer[p..(p + 4)]);
            uint result = BitConverter.ToUInt32(answer, p + 4);
            p += 8;
            Assert.Equal(new byte[] { 0xA2, 4, 4, 2 }, answer[p..(p + 4)]);
            int mse = answer[p + 4] | (answer[p + 5] << 8);
            p += 6;
            Assert.Equal(0xA3, answer[p]);
            int l = answer[p + 1];
            p += 2;
            if (l == 0x81) { l = answer[p++]; }
            return new BoxedOutput(sw, result, mse, answer[p..(p + l)]);
        }
    }

    /// <summary>A card application that pulls its card out of the slot when it receives command number <see cref="RemoveAt"/>.</summary>
    internal sealed class RemovingApplication : ICardApplication
    {
        private readonly ICardApplication _inner;
        private readonly VirtualSlot _slot;
        public int RemoveAt = -1;
        public int Commands;

        public RemovingApplication(ICardApplication inner, VirtualSlot slot)
        {
            _inner = inner;
            _slot = slot;
        }

        public void Reset() => _inner.Reset();

        public bool CommandHasData(byte cla, byte ins, byte p1, byte p2) => _inner.CommandHasData(cla, ins, p1, p2);

        public ApduResponse Process(ApduCommand command)
        {
            if (Commands++ == RemoveAt)
            {
                _slot.Remove();
            }
            return _inner.Process(command);
        }
    }

    public class PaceCcidTests
    {
        private static readonly byte[] ProtectedText = System.Text.Encoding.ASCII.GetBytes("PROTECTED FILE OF THE PACE TEST CARD");

        private static void AssertReadsProtectedFileInPlain(PaceCcidRig rig)
        {
            // READ BINARY of EF 0101 by SFI 1, plain from the host: wrapped by the reader, unwrapped for the host.
            byte[] r = rig.Apdu("00 B0 81 00 24");
            Assert.Equal(0x9000, PaceCcidRig.Sw(r));
            Assert.Equal(ProtectedText, r[..^2]);
        }

        [Fact]
        public void TR03119_Boxing_FF9A0402_KeypadPin_ChannelOpen_HostReadsProtectedFileInPlain()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            // Without a channel the file is refused in plain; EF.CardAccess is readable.
            Assert.Equal(0x6982, PaceCcidRig.Sw(rig.Apdu("00 B0 81 00 24")));
            byte[] cardAccess = rig.Apdu("00 B0 9C 00 00")[..^2];
            rig.Board.Keypad.Script("123456K");
            BoxedOutput o = rig.Establish(PaceCcidRig.Keypad(3));
            Assert.Equal(0x9000, o.Sw);
            Assert.Equal(PaceHostResult.Success, o.Result);
            Assert.Equal(0x9000, o.MseStatus);
            Assert.Equal(cardAccess, o.CardAccess);
            Assert.True(rig.App.ChannelOpen);
            Assert.Equal(PaceReader.PasswordPin, rig.App.ChannelPassword);
            Assert.True(rig.Board.Display.EverShowed("PIN"));
            Assert.Contains(rig.Board.Indicators.History, e => e.Name == "secure" && e.Value == 1);
            Assert.False(rig.Board.Indicators.SecureMode);
            Assert.True(rig.Service.BuffersAreClear);
            int before = rig.App.ProtectedCommands;
            AssertReadsProtectedFileInPlain(rig);
            Assert.Equal(before + 1, rig.App.ProtectedCommands);
            // The 600-byte file in protected chunks, each plain to the host.
            Assert.Equal(0x9000, PaceCcidRig.Sw(rig.Apdu("00 A4 02 0C 02 01 02")));
            byte[] all = new byte[600];
            for (int off = 0; off < 600; off += 200)
            {
                byte[] r = rig.Apdu($"00 B0 {off >> 8:X2} {off & 0xFF:X2} C8");
                Assert.Equal(0x9000, PaceCcidRig.Sw(r));
                r[..^2].CopyTo(all, off);
            }
            Assert.Equal(Enumerable.Range(0, 600).Select(i => (byte)(i % 251)).ToArray(), all);
        }

        /// <summary>A T=1 block from the host (NAD 00, LRC) in an XfrBlock; the reply's block.</summary>
        private static byte[] Block(PaceCcidRig rig, byte pcb, byte[] inf)
        {
            byte[] b = new byte[3 + inf.Length + 1];
            b[1] = pcb;
            b[2] = (byte)inf.Length;
            inf.CopyTo(b, 3);
            for (int i = 0; i < b.Length - 1; i++)
            {
                b[^1] ^= b[i];
            }
            byte[] r = rig.Send(0x6F, 0, 0, 0, b);
            Assert.True((r[7] & 0x40) == 0, $"XfrBlock failed, bError {r[8]:X2}");
            byte[] answer = r[10..];
            byte lrc = 0;
            foreach (byte x in answer)
            {
                lrc ^= x;
            }
            Assert.Equal(0, lrc);
            return answer;
        }

        [Fact]
        public void Iso7816_3_11_6_2_3_SmAnswerLongerThanTheHostIfsd_ReaderChainsItsIBlocks_RBlocksAskNextOrAgain()
        {
            // SEC1210 at T=1 TPDU level, as libccid drives it: the host's blocks, the reader's answers.
            var rig = new PaceCcidRig(ReaderProfile.Sec1210);
            rig.PowerOn();
            Assert.Equal(PaceHostInterfaceTests.H("00 E1 01 FE 1E"), Block(rig, 0xC1, new byte[] { 0xFE }));
            byte[] est = PaceHostInterfaceTests.H("FF 9A 04 02 11 30 0F " + PaceCcidRig.Host(3, "123456") + " 00");
            byte[] e = Block(rig, 0x00, est);
            Assert.Equal(0x00, e[1]);
            Assert.Equal(0x9000, (e[^3] << 8) | e[^2]);
            Assert.True(rig.Session.IsOpen);

            // READ BINARY EF 0103 (300 bytes) with Le 00: 256 bytes and 9000 = 258 > IFSD 254.
            byte[] first = Block(rig, 0x40, PaceHostInterfaceTests.H("00 B0 83 00 00"));
            Assert.Equal(0x60, first[1]); // N(S) 1, M
            Assert.Equal(254, first[2]);
            Assert.Equal(3 + 254 + 1, first.Length);
            // R(N(R) = 1), the N(S) of the block just received: that block again (ISO/IEC 7816-3 §11.6.3.2),
            // the same bytes; an R-block with an error bit too.
            Assert.Equal(first, Block(rig, 0x90, Array.Empty<byte>()));
            Assert.Equal(first, Block(rig, 0x81, Array.Empty<byte>()));
            // R(N(R) = 0): the next block (§11.6.2.3).
            byte[] last = Block(rig, 0x80, Array.Empty<byte>());
            Assert.Equal(0x00, last[1]); // N(S) 0, no M
            Assert.Equal(4, last[2]);
            Assert.Equal(0x90, last[^3]);
            Assert.Equal(0x00, last[^2]);
            byte[] text = first[3..^1].Concat(last[3..5]).ToArray();
            Assert.StartsWith("LONG FILE UNDER SECURE MESSAGING, CHAINED BY THE READER IN T=1. ", System.Text.Encoding.ASCII.GetString(text));
            Assert.Equal(256, text.Length);

            // The next exchange is in step: the host's I(0) answered with N(S) 1, the protected file in plain.
            byte[] next = Block(rig, 0x00, PaceHostInterfaceTests.H("00 B0 81 00 24"));
            Assert.Equal(0x40, next[1]);
            Assert.Equal(ProtectedText, next[3..^3]);
            Assert.True(rig.Session.IsOpen);
        }

        [Fact]
        public void Iso7816_3_11_4_2_HostIfsd100_SmAnswerInThreeChainedBlocks_SequenceNumbersInStepAfterwards()
        {
            var rig = new PaceCcidRig(ReaderProfile.Sec1210);
            rig.PowerOn();
            Assert.Equal(PaceHostInterfaceTests.H("00 E1 01 64 84"), Block(rig, 0xC1, new byte[] { 0x64 }));
            byte[] est = PaceHostInterfaceTests.H("FF 9A 04 02 11 30 0F " + PaceCcidRig.Host(3, "123456") + " 00");
            Assert.Equal(0x9000, PaceCcidRig.Sw(Block(rig, 0x00, est)[3..^1]));
            byte[] b1 = Block(rig, 0x40, PaceHostInterfaceTests.H("00 B0 83 00 00"));
            byte[] b2 = Block(rig, 0x80, Array.Empty<byte>());
            byte[] b3 = Block(rig, 0x90, Array.Empty<byte>());
            Assert.Equal(new[] { 0x60, 0x20, 0x40 }, new[] { (int)b1[1], b2[1], b3[1] });
            Assert.Equal(new[] { 100, 100, 58 }, new[] { (int)b1[2], b2[2], b3[2] });
            Assert.Equal(0x9000, PaceCcidRig.Sw(b3[3..^1]));
            byte[] next = Block(rig, 0x00, PaceHostInterfaceTests.H("00 B0 81 00 24"));
            Assert.Equal(0x00, next[1]);
            Assert.Equal(ProtectedText, next[3..^3]);
        }

        [Fact]
        public void Iso7816_3_11_6_2_3_ChainedHostCommandUnderSm_ReaderAcknowledgesAndProtectsTheWholeCommand()
        {
            var rig = new PaceCcidRig(ReaderProfile.Sec1210);
            rig.PowerOn();
            Assert.Equal(PaceHostInterfaceTests.H("00 E1 01 FE 1E"), Block(rig, 0xC1, new byte[] { 0xFE }));
            // The boxed EstablishPACEChannel itself chained in two blocks: acknowledged R(1), answered in I(0).
            byte[] est = PaceHostInterfaceTests.H("FF 9A 04 02 11 30 0F " + PaceCcidRig.Host(3, "123456") + " 00");
            Assert.Equal(PaceHostInterfaceTests.H("00 90 00 90"), Block(rig, 0x20, est[..10]));
            byte[] e = Block(rig, 0x40, est[10..]);
            Assert.Equal(0x00, e[1]);
            Assert.Equal(0x9000, PaceCcidRig.Sw(e[3..^1]));
            Assert.True(rig.Session.IsOpen);

            // UPDATE BINARY of 255 bytes into EF 0103 (by SFI): 260 bytes, so the host chains it (254 + 6).
            byte[] data = Enumerable.Range(0, 255).Select(i => (byte)('a' + i % 26)).ToArray();
            byte[] update = new byte[] { 0x00, 0xD6, 0x83, 0x00, 0xFF }.Concat(data).ToArray();
            int before = rig.App.ProtectedCommands;
            Assert.Equal(PaceHostInterfaceTests.H("00 90 00 90"), Block(rig, 0x20, update[..254]));
            byte[] u = Block(rig, 0x40, update[254..]);
            Assert.Equal(0x40, u[1]);
            Assert.Equal(PaceHostInterfaceTests.H("90 00"), u[3..^1]);
            Assert.Equal(before + 1, rig.App.ProtectedCommands);
            Assert.True(rig.Session.IsOpen);

            // Read back under SM, in step: the host's I(0), the reader's I(0) with M, then I(1).
            byte[] r = Block(rig, 0x00, PaceHostInterfaceTests.H("00 B0 83 00 FF"));
            Assert.Equal(0x20, r[1]);
            Assert.Equal(254, r[2]);
            byte[] rest = Block(rig, 0x90, Array.Empty<byte>());
            Assert.Equal(0x40, rest[1]);
            Assert.Equal(data, r[3..^1].Concat(rest[3..^3]).ToArray());
            Assert.Equal(0x9000, PaceCcidRig.Sw(rest[3..^1]));
        }

        /// <summary>The firmware's bytes allocated by <paramref name="work"/> (the simulator's, inside board calls, apart).</summary>
        private static long FirmwareBytes(Terminal.Desktop.Soak.BoardAllocationMeter meter, Action work)
        {
            long board = meter.BoardBytes;
            long start = GC.GetAllocatedBytesForCurrentThread();
            work();
            return GC.GetAllocatedBytesForCurrentThread() - start - (meter.BoardBytes - board);
        }

        private static byte[] XfrBlock(int slot, byte[] data)
        {
            var m = new byte[10 + data.Length];
            m[0] = 0x6F;
            CcidDevice.WriteInt(m, 1, data.Length);
            m[5] = (byte)slot;
            data.CopyTo(m, 10);
            return m;
        }

        private static byte[] T1(byte pcb, string inf)
        {
            byte[] data = PaceHostInterfaceTests.H(inf);
            byte[] b = new byte[4 + data.Length];
            b[1] = pcb;
            b[2] = (byte)data.Length;
            data.CopyTo(b, 3);
            for (int i = 0; i < b.Length - 1; i++)
            {
                b[^1] ^= b[i];
            }
            return b;
        }

        [Fact]
        public void TR03119_SecureMessagingRelay_AllocatesNothingPerApdu_ApduLevelAndChainedT1()
        {
            // APDU level (native USB): READ BINARY under SM, 200 times once warm.
            var meter = new Terminal.Desktop.Soak.BoardAllocationMeter();
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb, probe: meter);
            rig.PowerOn();
            Assert.Equal(PaceHostResult.Success, rig.Establish(PaceCcidRig.Host(3, "123456")).Result);
            byte[] read = XfrBlock(rig.CcidSlot, PaceHostInterfaceTests.H("00 B0 81 00 24"));
            byte[] reply = new byte[CcidDevice.ResponseBufferLength];
            for (int i = 0; i < 5; i++)
            {
                rig.Device.Process(read, read.Length, reply);
            }
            long apduLevel = FirmwareBytes(meter, () =>
            {
                for (int i = 0; i < 200; i++)
                {
                    rig.Device.Process(read, read.Length, reply);
                }
            });
            Assert.Equal(0x90, reply[10 + 36]);
            Assert.Equal(0, apduLevel);

            // T=1 TPDU level (SEC1210): the 256-byte answer chained in two I-blocks, 100 times.
            var meter1 = new Terminal.Desktop.Soak.BoardAllocationMeter();
            var tpdu = new PaceCcidRig(ReaderProfile.Sec1210, probe: meter1);
            tpdu.PowerOn();
            Block(tpdu, 0xC1, new byte[] { 0xFE });
            Block(tpdu, 0x00, PaceHostInterfaceTests.H("FF 9A 04 02 11 30 0F " + PaceCcidRig.Host(3, "123456") + " 00"));
            byte[][] reads = { XfrBlock(1, T1(0x40, "00 B0 83 00 00")), XfrBlock(1, T1(0x00, "00 B0 83 00 00")) };
            byte[] next = XfrBlock(1, T1(0x80, ""));
            int ns = 0;
            void Round()
            {
                byte[] r = reads[ns];
                ns ^= 1;
                tpdu.Device.Process(r, r.Length, reply);
                tpdu.Device.Process(next, next.Length, reply);
            }
            for (int i = 0; i < 4; i++)
            {
                Round();
            }
            long chained = FirmwareBytes(meter1, () =>
            {
                for (int i = 0; i < 100; i++)
                {
                    Round();
                }
            });
            Assert.Equal(4, reply[10 + 2]);
            Assert.Equal(0x90, reply[10 + 3 + 2]);
            Assert.True(tpdu.Session.IsOpen);
            Assert.Equal(0, chained);
        }

        [Fact]
        public void TR03119_Boxing_FF9A0402_KeypadCan_ChannelWithTheCan()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            rig.Board.Keypad.Script("500540K");
            BoxedOutput o = rig.Establish(PaceCcidRig.Keypad(2));
            Assert.Equal(PaceHostResult.Success, o.Result);
            Assert.Equal(PaceReader.PasswordCan, rig.App.ChannelPassword);
            Assert.True(rig.Board.Display.EverShowed("CAN"));
            AssertReadsProtectedFileInPlain(rig);
        }

        [Fact]
        public void TR03119_Boxing_FF9A0402_PinFromTheHost_NoKeypadEntry()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            BoxedOutput o = rig.Establish(PaceCcidRig.Host(3, "123456"));
            Assert.Equal(PaceHostResult.Success, o.Result);
            Assert.Equal(0, rig.Board.Keypad.Entries);
            Assert.DoesNotContain(rig.Board.Indicators.History, e => e.Name == "secure" && e.Value == 1);
            AssertReadsProtectedFileInPlain(rig);
        }

        [Fact]
        public void TR03119_Boxing_FF9A0401_Capabilities_And_FF9A0403_DestroyWipesTheKeys()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            Assert.Equal(PaceHostInterfaceTests.H("30 14 A1030101FF A203010100 A303010100 A4030101FF 9000"), rig.Apdu("FF 9A 04 01 00"));
            Assert.Equal(PaceHostResult.Success, rig.Establish(PaceCcidRig.Host(3, "123456")).Result);
            Assert.True(rig.Session.IsOpen);
            Assert.Equal(PaceHostInterfaceTests.H("9000"), rig.Apdu("FF 9A 04 03"));
            Assert.False(rig.Session.IsOpen);
            Assert.True(rig.Session.HoldsNoKeys);
            // Plain again: the card's channel ends with the first plain command, and the file is refused.
            Assert.Equal(0x6982, PaceCcidRig.Sw(rig.Apdu("00 B0 81 00 24")));
            Assert.False(rig.App.ChannelOpen);
        }

        [Fact]
        public void CcidSecure_bPINOperation10And20_CapabilitiesAndEstablish_BareAndIndexedInput()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            var caps = rig.Secure(new byte[] { 0x10 });
            Assert.Equal(0, caps.Status & 0x40);
            Assert.Equal(PaceHostInterfaceTests.H("00000000 0100 C0"), caps.Data);

            // 20h + the PC/SC input directly (as vsmartcard's CCID emulator reads it): CAN from the keypad.
            rig.Board.Keypad.Script("500540K");
            var bare = rig.Secure(PaceHostInterfaceTests.H("20 02 00 00 0000"));
            Assert.Equal(0, bare.Status & 0x40);
            Assert.Equal(PaceHostInterfaceTests.H("00000000"), bare.Data[..4]);
            Assert.Equal(bare.Data.Length - 6, bare.Data[4] | (bare.Data[5] << 8));
            Assert.Equal(PaceHostInterfaceTests.H("9000"), bare.Data[6..8]);
            Assert.Equal(PaceReader.PasswordCan, rig.App.ChannelPassword);
            AssertReadsProtectedFileInPlain(rig);

            // 20h + idxFunction 02 + lengthInputData + input (the FEATURE_EXECUTE_PACE layout): PIN from the host.
            var indexed = rig.Secure(PaceHostInterfaceTests.H("20 02 0B00 03 00 06 313233343536 0000"));
            Assert.Equal(PaceHostInterfaceTests.H("00000000"), indexed.Data[..4]);
            Assert.Equal(PaceReader.PasswordPin, rig.App.ChannelPassword);
            AssertReadsProtectedFileInPlain(rig);

            // 20h + idxFunction 03: DestroyPACEChannel.
            var destroy = rig.Secure(PaceHostInterfaceTests.H("20 03 0000"));
            Assert.Equal(PaceHostInterfaceTests.H("00000000 0000"), destroy.Data);
            Assert.True(rig.Session.HoldsNoKeys);
        }

        [Fact]
        public void PcscPart10_Ppdu_FeatureListNamesExecutePace_And_FFC20120RunsTheBinaryFunctions()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            Assert.Equal(PaceHostInterfaceTests.H("06 07 0A 12 20 9000"), rig.Apdu("FF C2 01 00 00"));
            Assert.Equal(PaceHostInterfaceTests.H("00000000 0100 C0 9000"), rig.Apdu("FF C2 01 20 03 01 0000"));
            byte[] r = rig.Apdu("FF C2 01 20 0E 02 0B00 03 00 06 313233343536 0000 00");
            Assert.Equal(0x9000, PaceCcidRig.Sw(r));
            Assert.Equal(PaceHostInterfaceTests.H("00000000"), r[..4]);
            AssertReadsProtectedFileInPlain(rig);
        }

        [Fact]
        public void TR03119_WrongPin_ResultF006WithTheCardsRetryCounter_ThenMseWarnsAndTheRightPinResets()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            BoxedOutput wrong = rig.Establish(PaceCcidRig.Host(3, "654321"));
            Assert.Equal(0xF00663C2u, wrong.Result);
            Assert.Equal(0x9000, wrong.MseStatus);
            Assert.Equal(2, rig.App.PinTriesLeft);
            Assert.False(rig.Session.IsOpen);
            Assert.True(rig.Session.HoldsNoKeys);
            Assert.False(rig.App.HoldsKeys);
            Assert.Equal(0x6982, PaceCcidRig.Sw(rig.Apdu("00 B0 81 00 24")));

            rig.Board.Keypad.Script("123456K");
            BoxedOutput right = rig.Establish(PaceCcidRig.Keypad(3));
            Assert.Equal(PaceHostResult.Success, right.Result);
            Assert.Equal(0x63C2, right.MseStatus);
            Assert.Equal(3, rig.App.PinTriesLeft);
            AssertReadsProtectedFileInPlain(rig);
        }

        [Fact]
        public void TR03119_WrongCan_ResultF0066300_NoChannel()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            rig.Board.Keypad.Script("111111K");
            BoxedOutput o = rig.Establish(PaceCcidRig.Keypad(2));
            Assert.Equal(0xF0066300u, o.Result);
            Assert.False(rig.Session.IsOpen);
            Assert.True(rig.Session.HoldsNoKeys);
            Assert.True(rig.Service.BuffersAreClear);
        }

        [Fact]
        public void TR03119_KeypadCancelAndTimeout_UserAbortAndUserTimeout_NothingSentToTheCard()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            rig.Board.Keypad.Script("12C");
            Assert.Equal(0xF0200001u, rig.Establish(PaceCcidRig.Keypad(3)).Result);
            long start = rig.Board.Clock.NowPicoseconds;
            Assert.Equal(0xF0200002u, rig.Establish(PaceCcidRig.Keypad(3)).Result);
            Assert.True(rig.Board.Clock.NowPicoseconds - start >= 30_000_000_000_000L, "the 30 s first-digit timer runs on virtual time");
            Assert.Equal(3, rig.App.PinTriesLeft);
            Assert.False(rig.Board.Indicators.SecureMode);
            Assert.True(rig.Service.BuffersAreClear);
        }

        [Theory]
        [InlineData(1)] // READ BINARY EF.CardAccess answered, removed at MSE:Set AT
        [InlineData(3)] // removed at General Authenticate step 2 (mapping)
        [InlineData(5)] // removed at step 4 (tokens)
        public void TR03119_CardRemovedMidProtocol_ResultNoCard_NoKeysOnEitherSide(int command)
        {
            RemovingApplication? removing = null;
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb, wrap: (app, slot) => removing = new RemovingApplication(app, slot));
            rig.PowerOn();
            removing!.RemoveAt = removing.Commands + command;
            BoxedOutput o = rig.Establish(PaceCcidRig.Host(3, "123456"));
            Assert.Equal(0x9000, o.Sw);
            Assert.Equal(PaceHostResult.NoCard, o.Result);
            Assert.True(rig.Session.HoldsNoKeys);
            Assert.False(rig.App.HoldsKeys);
        }

        [Fact]
        public void TR03119_TamperedResponseMac_Host6988_ChannelEnds_KeysWiped_NextApdusPlain()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            Assert.Equal(PaceHostResult.Success, rig.Establish(PaceCcidRig.Host(3, "123456")).Result);
            rig.App.TamperNextResponseMac = true;
            byte[] r = rig.Apdu("00 B0 81 00 24");
            Assert.Equal(PaceHostInterfaceTests.H("6988"), r);
            Assert.False(rig.Session.IsOpen);
            Assert.True(rig.Session.HoldsNoKeys);
            Assert.Equal(Terminal.Iso7816.SecureMessaging.SecureMessagingError.ChecksumMismatch, rig.Session.LastChannelError);
            Assert.Equal(0x6982, PaceCcidRig.Sw(rig.Apdu("00 B0 81 00 24")));
        }

        [Fact]
        public void TR03119_RemovalPowerOffAndNewPowerOn_EndTheChannelAndWipeTheKeys()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            Assert.Equal(PaceHostResult.Success, rig.Establish(PaceCcidRig.Host(3, "123456")).Result);
            rig.Send(0x63, 0, 0, 0, Array.Empty<byte>());
            Assert.True(rig.Session.HoldsNoKeys);

            rig.PowerOn();
            Assert.Equal(PaceHostResult.Success, rig.Establish(PaceCcidRig.Host(3, "123456")).Result);
            rig.PowerOn();
            Assert.True(rig.Session.HoldsNoKeys);

            Assert.Equal(PaceHostResult.Success, rig.Establish(PaceCcidRig.Host(3, "123456")).Result);
            rig.Board.Slots[1].Remove();
            rig.Send(0x65, 0, 0, 0, Array.Empty<byte>()); // GetSlotStatus: the slot sees the removal
            Assert.True(rig.Session.HoldsNoKeys);
        }

        [Fact]
        public void TR03119_MalformedInputWhileAChannelIsOpen_ErrorAndTheChannelStays()
        {
            var rig = new PaceCcidRig(ReaderProfile.NativeUsb);
            rig.PowerOn();
            Assert.Equal(PaceHostResult.Success, rig.Establish(PaceCcidRig.Host(3, "123456")).Result);
            Assert.Equal(PaceHostResult.UnexpectedData, rig.Establish("A7 03 020103").Result);
            Assert.Equal(PaceHostResult.PasswordIdNotSupported, rig.Establish(PaceCcidRig.Keypad(4)).Result);
            Assert.Equal(PaceHostInterfaceTests.H("6700"), rig.Apdu("FF 9A 04 02 05 30 03 A1 01"));
            Assert.True(rig.Session.IsOpen);
            AssertReadsProtectedFileInPlain(rig);
        }
    }
}
