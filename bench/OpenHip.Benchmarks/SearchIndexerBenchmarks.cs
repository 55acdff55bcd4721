using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Benchmarks;

/// <summary>
/// Search index extraction (every parameter of every type) as the write path runs it: single resources of the common
/// Synthea types, and every entry of the sample transaction Bundle (divide by its 323 entries for the per-resource mean).
/// </summary>
[MemoryDiagnoser]
public class SearchIndexerBenchmarks
{
    private readonly SearchIndexer _indexer = Create();
    private Resource _resource = null!;
    private Resource[] _bundleEntries = [];

    [Params("Patient", "Observation", "Encounter", "Claim", "ExplanationOfBenefit")]
    public string ResourceType { get; set; } = "Patient";

    public static SearchIndexer Create() => new(new SearchParameterRegistry(), new RegionTimeZone(Options.Create(new FhirEngineOptions())));

    [GlobalSetup]
    public void Setup()
    {
        _resource = FhirCodec.ParseJson(SyntheaSample.FirstResource(ResourceType));
        _bundleEntries = [.. ((Bundle)FhirCodec.ParseJson(SyntheaSample.Bundle)).Entry.Select(e => e.Resource!)];
        Console.WriteLine($"// {ResourceType}: {_indexer.Extract(_resource).Count} entries; Bundle: {_bundleEntries.Length} resources");
    }

    [Benchmark]
    public IReadOnlyList<IndexEntry> Extract() => _indexer.Extract(_resource);

    [Benchmark]
    public int ExtractBundle()
    {
        int entries = 0;
        foreach (Resource resource in _bundleEntries)
        {
            entries += _indexer.Extract(resource).Count;
        }

        return entries;
    }
}
