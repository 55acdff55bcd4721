using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Benchmarks;

/// <summary>
/// Search index extraction (every parameter of the type) as the write path runs it, on single resources of the common
/// Synthea types. <see cref="SearchIndexerBundleBenchmarks"/> covers a whole Bundle, `corpus` all the Synthea data.
/// </summary>
[MemoryDiagnoser]
public class SearchIndexerBenchmarks
{
    private readonly SearchIndexer _indexer = Create();
    private Resource _resource = null!;

    [Params("Patient", "Observation", "Encounter", "Claim")]
    public string ResourceType { get; set; } = "Patient";

    public static SearchIndexer Create() => new(new SearchParameterRegistry(), new RegionTimeZone(Options.Create(new FhirEngineOptions())));

    [GlobalSetup]
    public void Setup()
    {
        _resource = FhirCodec.ParseJson(SyntheaSample.FirstResource(ResourceType));
        Console.WriteLine($"// {ResourceType}: {_indexer.Extract(_resource).Count} entries");
    }

    [Benchmark]
    public IReadOnlyList<IndexEntry> Extract() => _indexer.Extract(_resource);
}
