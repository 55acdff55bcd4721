using BenchmarkDotNet.Running;

namespace OpenHip.Benchmarks.Surveillance;

// Aberration detection throughput (issue #10): EARS evaluations and Farrington-flexible time points per second,
// one thread. Run: dotnet run -c Release --project bench/OpenHip.Benchmarks.Surveillance -- --filter '*' --job short
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
