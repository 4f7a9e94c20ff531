using BenchmarkDotNet.Running;

namespace Terminal.Benchmarks
{
    /// <summary>Runs the benchmarks named by --filter (BenchmarkDotNet's switcher).</summary>
    internal static class Program
    {
        private static void Main(string[] args)
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        }
    }
}
