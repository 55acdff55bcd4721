using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Testing.Terminology;

namespace OpenHip.Benchmarks.Terminology;

/// <summary>The same calls as <see cref="LatencyRun"/> under BenchmarkDotNet: means, deviations and allocations.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, warmupCount: 3, iterationCount: 10)]
public class TerminologyBenchmarks
{
    private TerminologyEngine _engine = null!;
    private IFhirOperation _validate = null!;
    private IFhirOperation _expand = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = TerminologyEngine.StartAsync(20_000).GetAwaiter().GetResult();
        _validate = _engine.Operation("validate-code");
        _expand = _engine.Operation("expand");
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task<OperationResult> ValidateCode() =>
        _validate.ExecuteAsync(Request("CodeSystem", ("url", SyntheticCodeSystem.Url), ("code", "S54321")), CancellationToken.None);

    [Benchmark]
    public Task<OperationResult> ExpandTextFilterFirst20() =>
        _expand.ExecuteAsync(Request("ValueSet", ("url", "http://openhip.test/ValueSet/synthetic-all"), ("filter", "肺感染"), ("count", "20")), CancellationToken.None);

    [Benchmark(Baseline = true)]
    public Task<SearchResult> SearchPlainToken() => Search("code", SyntheticCodeSystem.Url + "|S12");

    [Benchmark]
    public Task<SearchResult> SearchBelow() => Search("code:below", SyntheticCodeSystem.Url + "|S12");

    private Task<SearchResult> Search(string name, string value) =>
        _engine.Search.SearchAsync(SearchScope.ForType("Observation"), [new(name, value), new("_count", "20")], SearchHandling.Strict, AccessPolicy.Unrestricted, CancellationToken.None);

    private static OperationRequest Request(string type, params (string Name, string Value)[] query) =>
        new(OperationLevel.Type, type, null, null, query.ToDictionary(q => q.Name, q => new[] { q.Value }, StringComparer.Ordinal), TerminologyEngine.Context);
}
