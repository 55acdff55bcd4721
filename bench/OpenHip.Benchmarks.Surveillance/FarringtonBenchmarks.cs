using BenchmarkDotNet.Attributes;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Benchmarks.Surveillance;

/// <summary>Farrington flexible over the last 4 years of a 10-year weekly series; one operation is one time point.</summary>
[MemoryDiagnoser]
public class FarringtonBenchmarks
{
    private const int Weeks = 10 * 52;
    private const int First = Weeks - (4 * 52) + 1;
    private CountSeries _series = null!;

    [Params("default", "noufaily")]
    public string Preset { get; set; } = "default";

    [GlobalSetup]
    public void Setup() => _series = BenchmarkSeries.Weekly(10, seed: 7);

    [Benchmark(OperationsPerInvoke = Weeks - First + 1)]
    public int Evaluate()
    {
        FarringtonFlexibleOptions options = Preset == "noufaily" ? FarringtonFlexibleOptions.Noufaily : FarringtonFlexibleOptions.Default;
        return FarringtonFlexible.Detect(_series, options with { Range = new MonitoredRange(First, Weeks) }).AlarmCount;
    }
}
