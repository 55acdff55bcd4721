using System.Globalization;
using BenchmarkDotNet.Running;
using OpenHip.Benchmarks.Terminology;

// Terminology performance (issue #7) on a 100,000-concept code system over a real SQLite store:
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Terminology -- latency [calls] [observations]
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Terminology -- --filter '*'      (BenchmarkDotNet)
if (args is ["latency", ..])
{
    int calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
    int observations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000;
    await LatencyRun.RunAsync(calls, observations);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(TerminologyBenchmarks).Assembly).Run(args);
