using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.LoadDriver;

/// <summary>
/// The SQL a template makes the server run, rebuilt with the server's own parser and shared SQL builder (built-in
/// search parameters, default engine options with the server's base, as the server uses them), and SQLite's <c>EXPLAIN QUERY PLAN</c> for it
/// on a read-only connection to the same file, with the parameter values bound. No server change is needed, and the
/// plan is the one the server's statement gets: same SQLite library, same file, same statistics.
/// </summary>
internal sealed class QueryPlans : IDisposable
{
    private const int DirectRuns = 5;
    private const double SlowStatementMs = 200;

    private readonly SqliteConnection _connection;
    private readonly FhirEngineOptions _options;
    private readonly SearchSqlBuilder _builder = new(BenchSqlDialect.Instance, TimeProvider.System);
    private readonly SearchRequestParser _parser;
    private bool _described;

    /// <param name="serverBase">The server's FHIR base: absolute references on it search as relative ones, as in the server.</param>
    public QueryPlans(string databasePath, Uri serverBase)
    {
        _options = new FhirEngineOptions { BaseUrl = serverBase.AbsoluteUri.TrimEnd('/') };
        _parser = new SearchRequestParser(new SearchParameterRegistry(), Options.Create(_options));
        _connection = DatabaseSize.ReadOnly(databasePath);
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Prints the statements of the template's first sample: the page, the count when asked, each include step.</summary>
    /// <param name="runDirectly">Also time each statement on the driver's connection (not for a query that already timed out).</param>
    public async Task PrintAsync(HttpClient http, SearchTemplate template, bool runDirectly)
    {
        if (!_described)
        {
            _described = true;
            Console.WriteLine($"# plans: SQLite {Scalar("SELECT sqlite_version()")} (the library the server loads); planner statistics (sqlite_stat1): " +
                (Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") is 0L ? "none" : "present"));
        }

        KeyValuePair<string, string>[] sample = template.Samples[0];
        Console.WriteLine($"--- {template.Name}: {SearchTemplate.Display(template.Type, sample)}");
        ParsedSearch parsed = _parser.Parse(SearchScope.ForType(template.Type), sample, SearchHandling.Strict);
        Print("page", _builder.BuildPage(parsed.Query), runDirectly);
        if (parsed.Query.Total != TotalMode.None)
        {
            Print("count", _builder.BuildCount(parsed.Query), runDirectly);
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
            Print(reverse ? "revinclude" : "include", _builder.BuildInclude(request), runDirectly);
        }
    }

    private void Print(string label, CompiledSql sql, bool runDirectly)
    {
        Console.WriteLine($"{label} SQL: {sql.Text}");
        Console.WriteLine($"  parameters: {string.Join(", ", sql.Parameters.Select(p => $"@{p.Key}={Literal(p.Value)}"))}");
        Console.WriteLine("  plan:");
        var depth = new Dictionary<long, int> { [0] = 0 };
        using (SqliteCommand explain = Command("EXPLAIN QUERY PLAN " + sql.Text, sql))
        using (SqliteDataReader reader = explain.ExecuteReader())
        {
            while (reader.Read())
            {
                // Columns: id, parent, notused, detail; a row is a child of the row whose id is its parent.
                int level = depth.GetValueOrDefault(reader.GetInt64(1)) + 1;
                depth[reader.GetInt64(0)] = level;
                Console.WriteLine($"  {new string(' ', 2 * level)}{reader.GetString(3)}");
            }
        }

        if (!runDirectly)
        {
            Console.WriteLine("  direct: not run (the query timed out over HTTP)");
            return;
        }

        // The statement alone on this connection, to tell SQL time from the rest of a request; a slow one runs once.
        List<double> runs = [];
        int rows = 0;
        using SqliteCommand command = Command(sql.Text, sql);
        while (runs.Count < DirectRuns && (runs.Count == 0 || runs[0] < SlowStatementMs))
        {
            long start = Stopwatch.GetTimestamp();
            rows = 0;
            using (SqliteDataReader reader = command.ExecuteReader())
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

    private object? Scalar(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteCommand Command(string text, CompiledSql sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = text;
        foreach (KeyValuePair<string, object?> parameter in sql.Parameters)
        {
            command.Parameters.AddWithValue("@" + parameter.Key, parameter.Value ?? DBNull.Value);
        }

        return command;
    }

    private static string Literal(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
