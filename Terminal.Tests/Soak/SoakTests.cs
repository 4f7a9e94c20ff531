using System;
using System.Diagnostics;
using Terminal.Ccid;
using Terminal.Desktop;
using Terminal.Desktop.Soak;
using Terminal.Desktop.VirtualBoard;
using Terminal.Display;
using Terminal.HostLink;
using Terminal.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Soak
{
    /// <summary>
    /// Issue 10, item 3: the soak on the virtual board (<see cref="SoakRun"/>), bounded for CI, and the
    /// regression tests of what it found. `terminal soak --commands N --seed S` runs a long one.
    /// </summary>
    public class SoakTests
    {
        private readonly ITestOutputHelper _output;

        public SoakTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Issue10_Soak_100000HostCommands_EveryCommandAnsweredInStep_StatusTrue_NoPinLeak_NoAllocation()
        {
            // SOAK_SEED replays a failure seen elsewhere; the default seed keeps CI deterministic.
            int seed = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SEED"), out int s) ? s : 20261202;
            Stopwatch wall = Stopwatch.StartNew();
            SoakRun run = new SoakRun(seed);
            run.Run(100_000);
            wall.Stop();
            _output.WriteLine(run.Summary());
            _output.WriteLine($"wall {wall.Elapsed.TotalSeconds:F1} s, {run.Commands / wall.Elapsed.TotalSeconds:F0} host commands/s");
            foreach (string sample in run.AllocationSamples)
            {
                _output.WriteLine("allocated during " + sample);
            }
            Assert.True(run.Commands >= 100_000);
            Assert.True(run.PinEntries > 1000 && run.Removals > 100 && run.Insertions > 100 && run.Faults > 100 && run.HostResets > 50 && run.Naks > 1000,
                "the soak did not exercise what it claims: " + run.Summary());
            Assert.True(run.TimeRequests > 0, "no time request in 100 000 commands with PIN entries and slow cards");
            Assert.True(run.FirmwareBytesAfterWarmUp == 0, $"seed {seed}: the firmware allocated {run.FirmwareBytesAfterWarmUp} B after warm-up: {string.Join("; ", run.AllocationSamples)}");
        }

        [Fact]
        public void Issue10_Soak_SameSeed_SameRun()
        {
            SoakRun a = new SoakRun(7);
            a.Run(3000);
            SoakRun b = new SoakRun(7);
            b.Run(3000);
            // The allocation counts differ (JIT warm-up of the first run); what the host and the world did may not.
            Assert.Equal((a.Commands, a.Answered, a.Naks, a.PinEntries, a.Removals, a.Faults, a.TimeRequests, a.VirtualHours),
                (b.Commands, b.Answered, b.Naks, b.PinEntries, b.Removals, b.Faults, b.TimeRequests, b.VirtualHours));
        }

        [Fact]
        public void PinPad_CardErrorScreen_StatusWordTextAllocatesNothing_6CxxShownAsItsClass()
        {
            // Found by the soak: the card-error screen after a PIN command made a new text for every
            // status word (64 B), and 6Cxx with every Le made the texts unbounded.
            Assert.Equal("6A82", DisplayTexts.StatusWordText(0x6A82));
            Assert.Equal("6Cxx", DisplayTexts.StatusWordText(0x6C64));
            Assert.Equal("61xx", DisplayTexts.StatusWordText(0x6110));
            Assert.Equal("6F12", DisplayTexts.StatusWordText(0x6F12));
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                DisplayTexts.StatusWordText(0x6A82);
                DisplayTexts.StatusWordText(0x6C00 | (i & 0xFF));
                DisplayTexts.StatusWordText(0x6F12);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        [Fact]
        public void LinkChecker_FlagsWhatTheHostCannotTake()
        {
            // The soak's judge must be able to fail: a reply with another bSeq, bytes after the reply,
            // a reply after more than 3 s of silence, a bad LRC, and a good reply accepted.
            VirtualClock clock = new VirtualClock();
            byte[] command = { CcidMessage.GetSlotStatus, 0, 0, 0, 0, 1, 7, 0, 0, 0 };
            byte[] good = Framed(new byte[] { CcidMessage.SlotStatus, 0, 0, 0, 0, 1, 7, 1, 0, 0 });
            LinkChecker checker = new LinkChecker();
            Assert.Null(Check(checker, clock, command, good, 0));
            byte[] otherSeq = Framed(new byte[] { CcidMessage.SlotStatus, 0, 0, 0, 0, 1, 8, 1, 0, 0 });
            Assert.Contains("bSeq", Check(checker, clock, command, otherSeq, 0));
            byte[] extra = new byte[good.Length + 1];
            good.CopyTo(extra, 0);
            extra[^1] = 0x03;
            Assert.Contains("out of step", Check(checker, clock, command, extra, 0));
            Assert.Contains("gives up after 3 s", Check(checker, clock, command, good, 3100));
            byte[] badLrc = (byte[])good.Clone();
            badLrc[^1] ^= 1;
            Assert.Contains("LRC", Check(checker, clock, command, badLrc, 0));
            byte[] wrongType = Framed(new byte[] { CcidMessage.DataBlock, 0, 0, 0, 0, 1, 7, 1, 0, 0 });
            Assert.Contains("reply type", Check(checker, clock, command, wrongType, 0));
        }

        private static string? Check(LinkChecker checker, VirtualClock clock, byte[] command, byte[] output, int delayMilliseconds)
        {
            HostPipe pipe = new HostPipe(clock, 1024);
            long sent = clock.NowPicoseconds;
            clock.AdvancePicoseconds(delayMilliseconds * 1_000_000_000L);
            pipe.Write(output, 0, output.Length);
            return checker.Check(1, command, command.Length, false, pipe, sent);
        }

        private static byte[] Framed(byte[] message)
        {
            byte[] frame = new byte[message.Length + 3];
            frame[0] = 0x03;
            frame[1] = 0x06;
            int lrc = 0x03 ^ 0x06;
            for (int i = 0; i < message.Length; i++)
            {
                frame[2 + i] = message[i];
                lrc ^= message[i];
            }
            frame[^1] = (byte)lrc;
            return frame;
        }

    }
}
