using BenchmarkDotNet.Running;

namespace OpenHip.Benchmarks.Surveillance;

// Aberration detection throughput (issue #10): EARS evaluations and Farrington-flexible time points per second,
// one thread. Run: dotnet run -c Release --project bench/OpenHip.Benchmarks.Surveillance -- --filter '*' --job short
// Case detection from the outbox: dotnet run -c Release --project bench/OpenHip.Benchmarks.Surveillance -- case-detection [residents]
// Daily re-evaluation of a country: dotnet run -c Release --project bench/OpenHip.Benchmarks.Surveillance -- country [counties] [diseases]
// Detector evaluation (docs/performance.md, Surveillance evaluation): ... -- evaluate [--simulations 100] [--regions 8] [--out file.csv]
internal static class Program
{
    private static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "evaluate")
        {
            Environment.ExitCode = Evaluation.EvaluateCommand.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "case-detection")
        {
            await CaseDetectionRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 300);
            return;
        }

        if (args.Length > 0 && args[0] == "country")
        {
            CountryScaleRun.Run(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3000,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 40);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
