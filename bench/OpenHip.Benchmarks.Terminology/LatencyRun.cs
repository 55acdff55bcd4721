using System.Diagnostics;
using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Fhir.Storage;
using OpenHip.Testing.Terminology;

namespace OpenHip.Benchmarks.Terminology;

/// <summary>
/// Per-call latency percentiles (BenchmarkDotNet reports percentiles of iteration means, not of single calls): each
/// measured call is timed on its own after a warm-up, and p50/p95/p99/max are read from the sorted timings.
/// </summary>
internal static class LatencyRun
{
    public static async Task RunAsync(int calls, int observations)
    {
        Console.WriteLine($"Loading {TerminologyEngine.Concepts:N0} concepts and {observations:N0} Observations into a SQLite store...");
        var load = Stopwatch.StartNew();
        await using TerminologyEngine engine = await TerminologyEngine.StartAsync(observations);
        Console.WriteLine($"loaded in {load.Elapsed.TotalSeconds:F1} s");

        IFhirOperation validate = engine.Operation("validate-code");
        IFhirOperation expand = engine.Operation("expand");
        var random = new Random(11);

        await ReportAsync("CodeSystem/$validate-code (random code of 100,000)", calls, () =>
            validate.ExecuteAsync(Request("CodeSystem", ("url", SyntheticCodeSystem.Url), ("code", SyntheticCodeSystem.Code(random.Next(TerminologyEngine.Concepts)))), CancellationToken.None));
        await ReportAsync("ValueSet/$validate-code (all 100,000 codes)", calls, () =>
            validate.ExecuteAsync(Request("ValueSet", ("url", "http://openhip.test/ValueSet/synthetic-all"), ("system", SyntheticCodeSystem.Url), ("code", SyntheticCodeSystem.Code(random.Next(TerminologyEngine.Concepts)))), CancellationToken.None));
        await ReportAsync("ValueSet/$expand filter=肺感染 count=20", calls, () =>
            expand.ExecuteAsync(Request("ValueSet", ("url", "http://openhip.test/ValueSet/synthetic-all"), ("filter", "肺感染"), ("count", "20")), CancellationToken.None));
        await ReportAsync("ValueSet/$expand filter=lung infection count=20", calls, () =>
            expand.ExecuteAsync(Request("ValueSet", ("url", "http://openhip.test/ValueSet/synthetic-all"), ("filter", "lung infection"), ("count", "20")), CancellationToken.None));

        string system = SyntheticCodeSystem.Url;
        await ReportAsync("Observation?code=S12 (plain token)", calls, () => SearchAsync(engine, ("code", $"{system}|S12")));
        await ReportAsync("Observation?code=S1234 (plain token)", calls, () => SearchAsync(engine, ("code", $"{system}|S1234")));
        await ReportAsync("Observation?code:below=S1234 (11 codes)", calls, () => SearchAsync(engine, ("code:below", $"{system}|S1234")));
        await ReportAsync("Observation?code:below=S123 (111 codes)", calls, () => SearchAsync(engine, ("code:below", $"{system}|S123")));
        await ReportAsync("Observation?code:below=S12 (1,111 codes)", calls, () => SearchAsync(engine, ("code:below", $"{system}|S12")));
        await ReportAsync("Observation?code:below=S1 (11,111 codes)", calls, () => SearchAsync(engine, ("code:below", $"{system}|S1")));
        await ReportAsync("Observation?code:in=synthetic-all (100,000 codes)", calls / 5, () => SearchAsync(engine, ("code:in", "http://openhip.test/ValueSet/synthetic-all")));

        // The same :below calls on the code-set path (one seek per code), as while the closure rows are being rebuilt.
        await engine.Services.GetRequiredService<IFhirStore>().SetStateAsync(TokenClosure.StateKey(system), null, CancellationToken.None);
        await ReportAsync("Observation?code=S12 (plain token)", calls, () => SearchAsync(engine, ("code", $"{system}|S12")));
        await ReportAsync("code:below=S12, closure record cleared (code-set path)", calls, () => SearchAsync(engine, ("code:below", $"{system}|S12")));
        await ReportAsync("code:below=S1, closure record cleared (code-set path)", calls, () => SearchAsync(engine, ("code:below", $"{system}|S1")));
    }

    private static async Task<object> SearchAsync(TerminologyEngine engine, (string Name, string Value) criterion) =>
        await engine.Search.SearchAsync(
            SearchScope.ForType("Observation"),
            [new(criterion.Name, criterion.Value), new("_count", "20")],
            SearchHandling.Strict,
            AccessPolicy.Unrestricted,
            CancellationToken.None);

    private static OperationRequest Request(string type, params (string Name, string Value)[] query) =>
        new(OperationLevel.Type, type, null, null, query.ToDictionary(q => q.Name, q => new[] { q.Value }, StringComparer.Ordinal), TerminologyEngine.Context);

    private static async Task ReportAsync<T>(string name, int calls, Func<Task<T>> call)
    {
        for (int i = 0; i < Math.Max(20, calls / 10); i++)
        {
            await call();
        }

        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await call();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(ms);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-52} n={calls,5}  p50 {At(ms, 0.50),8:F3} ms  p95 {At(ms, 0.95),8:F3} ms  p99 {At(ms, 0.99),8:F3} ms  max {ms[^1],8:F3} ms"));
    }

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
