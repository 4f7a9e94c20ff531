using System;
using System.Collections.Generic;
using System.IO;

namespace Terminal.Tests.Fuzz
{
    /// <summary>Where the committed fuzz corpus and regression inputs are (fuzz/corpus/&lt;harness&gt;, fuzz/regressions/&lt;harness&gt;).</summary>
    internal static class FuzzCorpus
    {
        internal static string Root => Repository.Root;

        internal static string CorpusDirectory => Path.Combine(Root, "fuzz", "corpus");

        internal static string RegressionDirectory => Path.Combine(Root, "fuzz", "regressions");

        /// <summary>(harness, file name) of every corpus file, in a stable order.</summary>
        internal static IEnumerable<object[]> Files()
        {
            var rows = new List<object[]>();
            foreach (string folder in Sorted(Directory.GetDirectories(CorpusDirectory)))
            {
                foreach (string file in Sorted(Directory.GetFiles(folder)))
                {
                    rows.Add(new object[] { Path.GetFileName(folder), Path.GetFileName(file) });
                }
            }
            return rows;
        }

        internal static string[] Sorted(string[] paths)
        {
            Array.Sort(paths, StringComparer.Ordinal);
            return paths;
        }
    }
}
