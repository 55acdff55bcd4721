using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Transactions;

namespace OpenHip.Benchmarks;

/// <summary>
/// A whole Synthea transaction (323 entries): strict parse of the Bundle, and the urn:uuid reference rewrite over
/// every entry as TransactionProcessor does it.
/// </summary>
[MemoryDiagnoser]
public class BundleBenchmarks
{
    private readonly Dictionary<string, string> _swap = new(StringComparer.Ordinal);
    private byte[] _json = [];
    private Bundle _bundle = null!;
    private Func<string, string?> _resolve = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = SyntheaSample.Bundle;
        _bundle = (Bundle)FhirCodec.ParseJson(_json);

        // The rewrite changes the Bundle in place. Mapping fullUrl -> Type/id and back again means every invocation
        // rewrites the same references (alternately one way and the other), so each does the same work.
        foreach (Bundle.EntryComponent entry in _bundle.Entry)
        {
            if (entry.FullUrl is { } fullUrl && entry.Resource is { } resource)
            {
                string assigned = $"{resource.TypeName}/{fullUrl[(fullUrl.LastIndexOf(':') + 1)..]}";
                _swap[fullUrl] = assigned;
                _swap[assigned] = fullUrl;
            }
        }

        _resolve = value => _swap.TryGetValue(value, out string? target) ? target : null;
        int references = _bundle.Entry.Sum(e => e.Resource is null ? 0 : ReferenceRewriter.References(e.Resource).Count(r => r.Reference is not null && _swap.ContainsKey(r.Reference)));
        Console.WriteLine($"// {_json.Length} bytes, {_bundle.Entry.Count} entries, {references} intra-bundle references");
    }

    [Benchmark]
    public Resource ParseBundle() => FhirCodec.ParseJson(_json);

    [Benchmark]
    public int RewriteReferences()
    {
        foreach (Bundle.EntryComponent entry in _bundle.Entry)
        {
            if (entry.Resource is { } resource)
            {
                ReferenceRewriter.Rewrite(resource, _resolve);
            }
        }

        return _bundle.Entry.Count;
    }
}
