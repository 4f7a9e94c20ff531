using System;
using Terminal.Fuzz;
using Terminal.Fuzz.Harnesses;
using Terminal.Iso7816;
using Xunit;

namespace Terminal.Tests.Fuzz
{
    /// <summary>
    /// The fuzzing machinery itself: a hang is caught by the step budget (not by a clock), a broken
    /// invariant is reported, the fuzz card line plays its input and events as documented, and each
    /// harness detects what it claims to (a harness that cannot fail would prove nothing).
    /// </summary>
    public class HarnessMachineryTests
    {
        private sealed class EndlessHarness : Harness
        {
            public override string Name => "endless";

            public override string Description => "loops for ever";

            protected override string Execute(byte[] data, Budget budget)
            {
                while (true)
                {
                    budget.Step("loop");
                }
            }
        }

        [Fact]
        public void Fuzz_Budget_AnInputThatNeverEnds_IsAHang_AfterTheStepsItsLengthAllows()
        {
            var e = Assert.Throws<BudgetExceeded>(() => new EndlessHarness().Run(new byte[10]));
            Assert.Contains("12000 steps", e.Message);
        }

        [Fact]
        public void Fuzz_Budget_T1ProtocolOnASilentCard_EndsWithinTheBudget_AndATinyBudgetIsExceeded()
        {
            // A silent card: T=1 retries, RESYNCH and deactivation end the exchange in a bounded number of steps.
            var timing = new Timing();
            timing.Reset(4_000_000);
            var budget = new Budget(1000);
            var line = new FuzzCardLine(Array.Empty<byte>(), 0, budget, escapes: false);
            var t1 = new T1Protocol(line, timing);
            t1.Reset(32, false);
            int r = t1.Transmit(new byte[] { 0, 0xA4, 0, 0 }, 0, 4, new byte[300], 0, 300);
            Assert.Equal(TransmissionError.Deactivated, r);
            Assert.InRange(budget.Used, 2, 100);

            var tiny = new FuzzCardLine(Array.Empty<byte>(), 0, new Budget(3), escapes: false);
            var stuck = new T1Protocol(tiny, timing);
            stuck.Reset(32, false);
            Assert.Throws<BudgetExceeded>(() => stuck.Transmit(new byte[] { 0, 0xA4, 0, 0 }, 0, 4, new byte[300], 0, 300));
        }

        [Fact]
        public void Fuzz_FuzzCardLine_PlaysItsInput_WithTimeoutRemovalAndParityEscapes()
        {
            byte[] input = { 0x3B, FuzzCardLine.Escape, 0x00, FuzzCardLine.Escape, 0x02, 0x41, FuzzCardLine.Escape, 0x07, 0x42, FuzzCardLine.Escape, 0x01, 0x43 };
            var line = new FuzzCardLine(input, 0, new Budget(100), escapes: true);
            Assert.Equal(0x3B, line.Receive(1000));
            long before = line.Now;
            Assert.Equal(LineStatus.Timeout, line.Receive(1000));
            Assert.Equal(before + 1000, line.Now);
            Assert.Equal(0x41 | LineStatus.ParityError, line.Receive(1000));
            Assert.Equal(FuzzCardLine.Escape, line.Receive(1000));
            Assert.Equal(0x07, line.Receive(1000));
            Assert.Equal(0x42, line.Receive(1000));
            Assert.True(line.CardPresent);
            Assert.Equal(LineStatus.NoCard, line.Receive(1000));
            Assert.False(line.CardPresent);
            Assert.Equal(LineStatus.NoCard, line.Receive(1000));

            var plain = new FuzzCardLine(new byte[] { FuzzCardLine.Escape, 0x00 }, 0, new Budget(100), escapes: false);
            Assert.Equal(FuzzCardLine.Escape, plain.Receive(1));
            Assert.Equal(0x00, plain.Receive(1));
            Assert.Equal(LineStatus.Timeout, plain.Receive(1));
        }

        [Fact]
        public void Fuzz_Harnesses_HaveUniqueNames_AndEmptyOrOneByteInputsEndCleanly()
        {
            var names = new System.Collections.Generic.HashSet<string>();
            foreach (Harness h in HarnessRegistry.All)
            {
                Assert.True(names.Add(h.Name), $"two harnesses named {h.Name}");
                Assert.Same(h, HarnessRegistry.Find(h.Name));
                Assert.False(string.IsNullOrEmpty(h.Run(Array.Empty<byte>())));
                for (int b = 0; b < 256; b += 17)
                {
                    Assert.False(string.IsNullOrEmpty(h.Run(new[] { (byte)b })));
                }
            }
            Assert.Null(HarnessRegistry.Find("no-such-harness"));
        }

        [Fact]
        public void Fuzz_ApduHarness_DetectsADisagreementWithTheCardsParser()
        {
            // Sanity of the differential check: both parsers accept a case 4 short APDU and agree.
            Assert.Equal("Case4", new ApduHarness().Run(new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x01, 0x3F, 0x00 }));
            Assert.Equal("LengthMismatch", new ApduHarness().Run(new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x02, 0x3F }));
        }

        [Fact]
        public void Fuzz_T1Harness_ChecksTheBlocksTheReaderSends()
        {
            // Mode 1, LRC, IFSC 32, 5-byte command; the card answers I(0) 90 00: one well-formed block each way.
            byte[] block = new byte[8];
            int n = T1Block.Encode(0, 0x00, new byte[] { 0x90, 0x00 }, 0, 2, false, block, 0);
            byte[] input = new byte[2 + n];
            input[0] = 0x02;
            input[1] = 0x20;
            Array.Copy(block, 0, input, 2, n);
            Assert.Equal("response 2 bytes", new T1Harness().Run(input));
        }
    }
}
