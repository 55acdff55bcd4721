using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.LoadDriver;

/// <summary>
/// The SQL a template makes the server run, rebuilt with the server's own parser and shared SQL builder in the store's
/// dialect (built-in search parameters, default engine options with the server's base, as the server uses them), and
/// the store's plan for it with the parameter values bound (<see cref="IStorePlans"/>). No server change is needed.
/// </summary>
internal sealed class QueryPlans : IDisposable
{
    // Twelve, so that on PostgreSQL the later runs use the prepared statement the store's connection settings make of it,
    // past PostgreSQL's five custom plans, sent as the server sends a search statement (ISqlDialect.PlannedPerExecution, PagePlannedPerExecution).
    private const int DirectRuns = 12;
    private const double SlowStatementMs = 200;

    private readonly IStorePlans _store;
    private readonly FhirEngineOptions _options;
    private readonly SearchSqlBuilder _builder;
    private readonly SearchRequestParser _parser;
    private bool _described;

    /// <param name="serverBase">The server's FHIR base: absolute references on it search as relative ones, as in the server.</param>
    public QueryPlans(IStorePlans store, Uri serverBase)
    {
        _store = store;
        _builder = new SearchSqlBuilder(store.Dialect, TimeProvider.System);
        _options = new FhirEngineOptions { BaseUrl = serverBase.AbsoluteUri.TrimEnd('/') };
        _parser = new SearchRequestParser(new SearchParameterRegistry(), Options.Create(_options));
    }

    public void Dispose() => _store.Dispose();

    /// <summary>Prints the statements of the template's first sample: the page, the count when asked, each include step.</summary>
    /// <param name="runDirectly">Also time each statement on the driver's connection (not for a query that already timed out).</param>
    public async Task PrintAsync(HttpClient http, SearchTemplate template, bool runDirectly)
    {
        if (!_described)
        {
            _described = true;
            Console.WriteLine($"# plans: {_store.Describe()}");
        }

        KeyValuePair<string, string>[] sample = template.Samples[0];
        Console.WriteLine($"--- {template.Name}: {SearchTemplate.Display(template.Type, sample)}");
        ParsedSearch parsed = _parser.Parse(SearchScope.ForType(template.Type), sample, SearchHandling.Strict);
        Print("page", _builder.BuildPage(parsed.Query), _store.Dialect.PagePlannedPerExecution, runDirectly);
        if (parsed.Query.Total != TotalMode.None)
        {
            Print("count", _builder.BuildCount(parsed.Query), _store.Dialect.PlannedPerExecution, runDirectly);
        }

        if (parsed.Includes.Count + parsed.RevIncludes.Count == 0)
        {
            return;
        }

        if (!runDirectly)
        {
            Console.WriteLine("include steps: not shown (they need the page, whose query timed out)");
            return;
        }

        // Include steps depend on the page: take its matches as the server found them.
        using JsonDocument bundle = await SearchResponse.GetBundleAsync(http, SearchResponse.Url(template.Type, sample), CancellationToken.None).ConfigureAwait(false);
        ResourceKey[] page = [.. SearchResponse.Resources(bundle, "match").Select(r => new ResourceKey(SearchResponse.Text(r, "resourceType")!, SearchResponse.Text(r, "id")!))];
        foreach ((SearchInclude include, bool reverse) in parsed.Includes.Select(i => (i, false)).Concat(parsed.RevIncludes.Select(i => (i, true))))
        {
            ResourceKey[] sources = reverse ? page : [.. page.Where(k => k.Type == include.SourceType)];
            var request = new IncludeRequest(sources, include.SourceType, include.Parameter, include.TargetType, reverse, _options.MaxIncludedResources + 1);
            Print(reverse ? "revinclude" : "include", _builder.BuildInclude(request), _store.Dialect.PagePlannedPerExecution, runDirectly);
        }
    }

    /// <param name="sent">How the server sends the statement (<see cref="ISqlDialect.PlannedPerExecution"/> or its page form).</param>
    private void Print(string label, CompiledSql sql, Func<string, string> sent, bool runDirectly)
    {
        Console.WriteLine($"{label} SQL: {sql.Text}");
        Console.WriteLine($"  parameters: {string.Join(", ", sql.Parameters.Select(p => $"@{p.Key}={Literal(p.Value)}"))}");
        Console.WriteLine("  plan:");
        foreach (string line in _store.Explain(sql, sent))
        {
            Console.WriteLine("    " + line);
        }

        if (!runDirectly)
        {
            Console.WriteLine("  direct: not run (the query timed out over HTTP)");
            return;
        }

        // The statement alone on this connection, to tell SQL time from the rest of a request; a slow one runs once.
        List<double> runs = [];
        int rows = 0;
        using DbCommand command = DbCommands.Create(_store.Connection, null, sql with { Text = sent(sql.Text) });
        while (runs.Count < DirectRuns && (runs.Count == 0 || runs[0] < SlowStatementMs))
        {
            long start = Stopwatch.GetTimestamp();
            rows = 0;
            using (DbDataReader reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows++;
                }
            }

            runs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  direct: {rows} rows, median of {runs.Count} run(s) {Stats.Median(runs):F2} ms"));
    }

    private static string Literal(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
