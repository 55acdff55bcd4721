using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Indexing;

namespace OpenHip.Benchmarks;

/// <summary>Extraction over every entry of the sample transaction Bundle: the mean per operation is per resource.</summary>
[MemoryDiagnoser]
public class SearchIndexerBundleBenchmarks
{
    /// <summary>The sample Bundle's entry count (checked in setup), so BenchmarkDotNet reports per resource.</summary>
    private const int Resources = 323;

    private readonly SearchIndexer _indexer = SearchIndexerBenchmarks.Create();
    private Resource[] _entries = [];

    [GlobalSetup]
    public void Setup()
    {
        _entries = [.. ((Bundle)FhirCodec.ParseJson(SyntheaSample.Bundle)).Entry.Select(e => e.Resource!)];
        if (_entries.Length != Resources)
        {
            throw new InvalidOperationException($"the sample Bundle has {_entries.Length} entries, not {Resources}");
        }
    }

    [Benchmark(OperationsPerInvoke = Resources)]
    public int ExtractEveryEntry()
    {
        int entries = 0;
        foreach (Resource resource in _entries)
        {
            entries += _indexer.Extract(resource).Count;
        }

        return entries;
    }
}
