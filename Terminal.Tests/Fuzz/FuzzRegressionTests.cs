using System;
using System.IO;
using Terminal.Fuzz;
using Terminal.Iso7816;
using Terminal.Pace;
using Xunit;

namespace Terminal.Tests.Fuzz
{
    /// <summary>
    /// Every crash the fuzzers found, kept as an input file (fuzz/regressions/&lt;harness&gt;/&lt;name&gt;) and
    /// a test of the behaviour the specification asks for. A test whose fix belongs to another branch
    /// is skipped with the reason "bug: ... found by fuzzing" until that fix lands (fuzz/README.md,
    /// "Findings"); <see cref="Fuzz_Regressions_EveryInputHasItsTest"/> keeps files and tests in step.
    /// </summary>
    public class FuzzRegressionTests
    {
        internal static readonly string[] Inputs =
        {
            "t1/ifs-request-then-retransmit",
            "cardaccess/malformed-after-supported-paceinfo",
            "sm/wrap-case4-lc240-grows-37-bytes",
        };

        private static byte[] Input(string name)
        {
            return File.ReadAllBytes(Path.Combine(FuzzCorpus.RegressionDirectory, name.Replace('/', Path.DirectorySeparatorChar)));
        }

        private static string Replay(string name)
        {
            string harness = name.Substring(0, name.IndexOf('/'));
            return HarnessRegistry.Find(harness)!.Run(Input(name));
        }

        [Fact]
        public void Fuzz_Regressions_EveryInputHasItsTest()
        {
            int files = 0;
            foreach (string folder in Directory.GetDirectories(FuzzCorpus.RegressionDirectory))
            {
                Assert.True(HarnessRegistry.Find(Path.GetFileName(folder)) != null, $"fuzz/regressions/{Path.GetFileName(folder)} names no harness");
                foreach (string file in Directory.GetFiles(folder))
                {
                    string name = Path.GetFileName(folder) + "/" + Path.GetFileName(file);
                    Assert.Contains(name, Inputs);
                    files++;
                }
            }
            Assert.Equal(Inputs.Length, files);
        }

        /// <summary>
        /// ISO/IEC 7816-3 §11.4.2 / §11.6.2: the card sends S(IFS request) with IFSC 64 while the reader is
        /// sending a 136-byte chained I-block, then asks for that block again (R(0)). The reader must
        /// not send an information field longer than the card's IFSC from then on: it retransmits the
        /// block cut to 64 bytes (as libccid's T=1 rebuilds it), not the 136 bytes it had sent.
        /// </summary>
        [Fact]
        public void Iso7816_3_11_4_2_IfsRequestThenRetransmission_IBlockRespectsTheNewIfsc()
        {
            // The harness checks every block the reader sends against the IFSC in force; the input ends
            // after R(0), so the silent card then makes the exchange end in a documented error (not checked here).
            Assert.False(string.IsNullOrEmpty(Replay("t1/ifs-request-then-retransmit")));
        }

        /// <summary>
        /// BSI TR-03110-3 A.1.1: EF.CardAccess is a DER SET OF SecurityInfo; a malformed element after a
        /// supported PACEInfo makes the whole file malformed, and then no algorithm, domain parameter ID
        /// or version may remain chosen (a caller reading <see cref="CardAccess.Algorithm"/> would run PACE
        /// on a file the parser refused).
        /// </summary>
        [Fact]
        public void Tr03110_3_A1_1_CardAccess_MalformedAfterASupportedPaceInfo_LeavesNothingChosen()
        {
            byte[] ef = Input("cardaccess/malformed-after-supported-paceinfo");
            var access = new CardAccess();
            Assert.Equal(CardAccess.Malformed, access.Parse(ef, 0, ef.Length));
            Assert.Null(access.Algorithm);
            Assert.Equal(-1, access.ParameterId);
            Assert.Equal(-1, access.Version);
            Assert.Equal("malformed", Replay("cardaccess/malformed-after-supported-paceinfo"));
        }

        /// <summary>
        /// ISO/IEC 7816-4 §10 (and ICAO 9303-11 §9.8): protecting a short case 4 command with Lc 240 under
        /// AES adds 16 bytes of padding and its indicator, a 3-byte DO'87' length, and turns the command
        /// extended (the body passes 255 bytes): 37 bytes more. The codec's documented bound said 35, so a
        /// buffer sized by it was refused (OutputTooSmall with 281 bytes for a 246-byte command).
        /// </summary>
        [Fact]
        public void Iso7816_4_10_WrapOfAShortCase4WithLc240_FitsInMaxWrapOverhead()
        {
            byte[] input = Input("sm/wrap-case4-lc240-grows-37-bytes");
            Assert.Equal(37, Terminal.Iso7816.SecureMessaging.SecureMessagingCodec.MaxWrapOverhead);
            Assert.Equal($"wrapped {input.Length - 2} -> {input.Length - 2 + 37} bytes", Replay("sm/wrap-case4-lc240-grows-37-bytes"));
        }
    }
}
