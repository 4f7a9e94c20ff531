using System;
using System.Collections.Generic;
using System.IO;
using Terminal.Fuzz;
using Xunit;

namespace Terminal.Tests.Fuzz
{
    /// <summary>
    /// Replays the committed fuzz corpus (fuzz/corpus/&lt;harness&gt;/*) through the harnesses in-process,
    /// as AFL++ runs them: every input must end with a documented outcome (the harness returns), never with
    /// an exception of the code under test, a broken invariant (<see cref="HarnessViolation"/>) or a hang
    /// (<see cref="BudgetExceeded"/>: more steps than the input allows, counted in iterations, not time).
    /// </summary>
    public class CorpusReplayTests
    {
        public static IEnumerable<object[]> CorpusFiles() => FuzzCorpus.Files();

        [Theory]
        [MemberData(nameof(CorpusFiles))]
        public void Fuzz_Corpus_InputReplaysThroughItsHarness_WithADocumentedOutcome(string harness, string file)
        {
            Harness? h = HarnessRegistry.Find(harness);
            Assert.True(h != null, $"fuzz/corpus/{harness} names no harness");
            byte[] input = File.ReadAllBytes(Path.Combine(FuzzCorpus.CorpusDirectory, harness, file));
            string outcome = h!.Run(input);
            Assert.False(string.IsNullOrEmpty(outcome));
        }

        [Fact]
        public void Fuzz_Corpus_EveryHarnessHasACorpus_AndEveryCorpusFolderIsAHarness()
        {
            var folders = new HashSet<string>(StringComparer.Ordinal);
            foreach (string folder in Directory.GetDirectories(FuzzCorpus.CorpusDirectory))
            {
                string name = Path.GetFileName(folder);
                folders.Add(name);
                Assert.True(HarnessRegistry.Find(name) != null, $"fuzz/corpus/{name} names no harness");
            }
            foreach (Harness h in HarnessRegistry.All)
            {
                Assert.True(folders.Contains(h.Name), $"harness {h.Name} has no fuzz/corpus/{h.Name}");
                Assert.NotEmpty(Directory.GetFiles(Path.Combine(FuzzCorpus.CorpusDirectory, h.Name)));
            }
        }

        [Fact]
        public void Fuzz_Corpus_StaysSmall_FilesOf4KiBAtMost_AndAtMost2MiBInAll()
        {
            long total = 0;
            foreach (string folder in Directory.GetDirectories(FuzzCorpus.CorpusDirectory))
            {
                string[] files = Directory.GetFiles(folder);
                Assert.True(files.Length <= 400, $"{Path.GetFileName(folder)}: {files.Length} corpus files (run afl-cmin, see fuzz/README.md)");
                foreach (string file in files)
                {
                    long size = new FileInfo(file).Length;
                    Assert.True(size <= 4096, $"{file}: {size} bytes");
                    total += size;
                }
            }
            Assert.True(total <= 2 * 1024 * 1024, $"the corpus has {total} bytes");
        }

        [Fact]
        public void Fuzz_Corpus_SeedFiles_AreWhatTheSeedGeneratorWrites()
        {
            // fuzz/corpus/<harness>/seed-* come from `Terminal.Fuzz seeds`: a change of the generator
            // (or of a card profile's ATR) must be followed by regenerating them.
            int checkedSeeds = 0;
            foreach (KeyValuePair<string, List<(string Name, byte[] Bytes)>> harness in Seeds.All())
            {
                foreach ((string name, byte[] bytes) in harness.Value)
                {
                    string path = Path.Combine(FuzzCorpus.CorpusDirectory, harness.Key, "seed-" + name);
                    Assert.True(File.Exists(path), $"{path} is missing: run `dotnet fuzz/out/publish/Terminal.Fuzz.dll seeds fuzz/corpus`");
                    Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{path} differs from the seed generator's");
                    checkedSeeds++;
                }
            }
            Assert.True(checkedSeeds >= HarnessRegistry.All.Length);
        }
    }
}
