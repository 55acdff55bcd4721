using BenchmarkDotNet.Attributes;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Benchmarks.Surveillance;

/// <summary>EARS over a 3-year daily series; one operation is one evaluated day.</summary>
[MemoryDiagnoser]
public class EarsBenchmarks
{
    private const int Days = 3 * 365;
    private CountSeries _series = null!;

    [Params("C1", "C2", "C3")]
    public string Method { get; set; } = "C1";

    [GlobalSetup]
    public void Setup() => _series = BenchmarkSeries.Daily(Days, seed: 11);

    [Benchmark(OperationsPerInvoke = Days - 11)]
    public int Evaluate() =>
        EarsC.Detect(_series, new EarsOptions { Method = Enum.Parse<EarsMethod>(Method), Range = new MonitoredRange(12, Days) }).AlarmCount;
}
