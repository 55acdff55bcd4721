using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic;
using OpenHip.Modules.Synthetic.Writing;

namespace OpenHip.Benchmarks.Synthetic;

/// <summary>
/// Generation + serialisation throughput, single-threaded. Each operation generates 200 residents and serialises
/// every resource of their bundles (what the writer does before touching the disk); resources per second =
/// resources per operation / mean time. The count is printed once at set-up.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks : IDisposable
{
    private const int Residents = 200;
    private SyntheticRegionGenerator _generator = null!;
    private ResourceJson _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = Residents, Seed = 1 });
        _json = new ResourceJson();
        Console.WriteLine($"// resources per operation: {GenerateAndSerialise()}");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _json?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = 1)]
    public long GenerateAndSerialise()
    {
        long resources = 0;
        foreach (ResidentHistory history in _generator.GenerateResidents())
        {
            foreach (Bundle.EntryComponent entry in history.Bundle.Entry)
            {
                resources += _json.Serialize(entry.Resource!).Length > 0 ? 1 : 0;
            }
        }

        return resources;
    }
}
