using System;
using System.IO;

namespace Terminal.Tests.Boards
{
    /// <summary>Finds files of the repository from the test's output folder.</summary>
    internal static class RepoPaths
    {
        internal static string Root
        {
            get
            {
                string? dir = AppContext.BaseDirectory;
                while (dir != null && !File.Exists(Path.Combine(dir, "Terminal.sln")))
                {
                    dir = Path.GetDirectoryName(dir);
                }
                return dir ?? throw new InvalidOperationException("Terminal.sln not found above " + AppContext.BaseDirectory);
            }
        }

        internal static string Of(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
    }
}
