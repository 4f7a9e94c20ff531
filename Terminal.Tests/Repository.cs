using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Terminal.Tests
{
    /// <summary>Where the repository is, found from the test's output directory.</summary>
    internal static class Repository
    {
        public static string Root { get; } = FindRoot();

        private static string FindRoot()
        {
            string? dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(System.IO.Path.Combine(dir, "Terminal.sln")))
            {
                dir = System.IO.Path.GetDirectoryName(dir);
            }
            return dir ?? throw new InvalidOperationException("Terminal.sln not found above " + AppContext.BaseDirectory);
        }

        public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

        public static string Relative(string fullPath) => System.IO.Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

        /// <summary>Every nanoFramework project of the repository.</summary>
        public static IEnumerable<string> NfProjects() =>
            Directory.EnumerateFiles(Root, "*.nfproj", SearchOption.AllDirectories)
                .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal);
    }
}
