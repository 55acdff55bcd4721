using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;

namespace OpenHip.Benchmarks;

/// <summary>Token index extraction (FHIRPath over every token search parameter of the type), run on every write.</summary>
[MemoryDiagnoser]
public class TokenIndexerBenchmarks
{
    private readonly TokenIndexer _indexer = new(new SearchParameterRegistry());
    private Resource _resource = null!;

    [Params("Patient", "Observation")]
    public string ResourceType { get; set; } = "Patient";

    [GlobalSetup]
    public void Setup()
    {
        _resource = FhirCodec.ParseJson(SyntheaSample.FirstResource(ResourceType));
        Console.WriteLine($"// {ResourceType}: {_indexer.Extract(_resource).Count} token entries");
    }

    [Benchmark]
    public IReadOnlyList<IndexEntry> Extract() => _indexer.Extract(_resource);
}
