using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace OpenHip.LoadDriver;

/// <summary>
/// `search`: a server on a data directory loaded by `region-load`; real values discovered through the API; then each
/// template of issue #4 timed with one client, one query after another (latency, not throughput), after a warm-up;
/// then the SQL of each template and the store's plan for it. The store is SQLite's file in the data directory, or the
/// PostgreSQL database of <c>--set Storage:Provider=postgres</c> (see <see cref="SearchStore"/>).
/// </summary>
internal static class SearchScenario
{
    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        var store = SearchStore.From(options.Settings);
        string? directory = options.DataDirectory;
        if (!store.IsPostgreSql)
        {
            if (directory is null)
            {
                throw new ArgumentException("search needs --data-dir DIR (loaded by region-load), or a PostgreSQL store (--set Storage:Provider=postgres)");
            }

            string database = Path.Combine(directory, DatabaseSize.FileName);
            if (!File.Exists(database))
            {
                throw new ArgumentException($"{database} not found: load it with region-load first");
            }
        }

        // PostgreSQL keeps the data; the server's own directory (keys, caches) is then a temporary one unless given.
        ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, directory, CancellationToken.None).ConfigureAwait(false);
        PostgreSqlCpu? databaseCpu = store.PostgreSqlConnection is { } connection ? PostgreSqlCpu.TryFind(connection) : null;
        HttpClient http = FhirHttp.Create(server.BaseUri, 1);
        try
        {
            var random = new Random(options.Seed);
            var discovery = Stopwatch.StartNew();
            SearchValues values = await SearchValues.DiscoverAsync(http, options.Samples, random).ConfigureAwait(false);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"# values: {values.Patients.Count} Patients read, {values.PatientCodes.Count} with LOINC Observations, {values.CodeDays.Select(c => c.Code).Distinct().Count()} distinct codes, " +
                $"{values.OrganizationNames.Count} organizations, in {discovery.Elapsed.TotalSeconds:F1} s; {options.Samples} queries per template after {options.Warmup} s warm-up, " +
                $"at most {options.Duration} s each, {options.Timeout} s per query"));

            IReadOnlyList<SearchTemplate> templates = SearchTemplate.All(values, options.Samples, random);
            HashSet<string> timedOut = [];
            foreach (SearchTemplate template in templates)
            {
                if (!await MeasureAsync(http, server, databaseCpu, template, options).ConfigureAwait(false))
                {
                    // The server cannot interrupt a statement SQLite is running: a fresh one keeps it off the next templates.
                    // (PostgreSQL cancels a statement whose request is aborted; a restart is harmless there.)
                    timedOut.Add(template.Name);
                    Console.WriteLine($"  ! {template.Name}: restarting the server so the runaway query does not load the next templates");
                    http.Dispose();
                    await server.DisposeAsync().ConfigureAwait(false);
                    server = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, directory, CancellationToken.None).ConfigureAwait(false);
                    http = FhirHttp.Create(server.BaseUri, 1);
                }
            }

            Console.WriteLine($"# peak server RSS {Stats.Mebibytes(server.PeakRssBytes())}");
            using (var plans = new QueryPlans(store.OpenPlans(server.DataDirectory), server.BaseUri))
            {
                foreach (SearchTemplate template in templates.Where(t => t.Samples.Count > 0))
                {
                    await plans.PrintAsync(http, template, runDirectly: !timedOut.Contains(template.Name)).ConfigureAwait(false);
                }
            }

            await server.StopAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        }
        finally
        {
            http.Dispose();
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Times one template and prints its RESULT line; false when a query ran past the timeout.</summary>
    private static async Task<bool> MeasureAsync(HttpClient http, ServerProcess server, PostgreSqlCpu? databaseCpu, SearchTemplate template, DriverOptions options)
    {
        if (template.Samples.Count == 0)
        {
            Console.WriteLine($"RESULT search {template.Name} {template.Shape}: no values found in the store; not measured");
            return true;
        }

        try
        {
            await MeasureWithinTimeoutAsync(http, server, databaseCpu, template, options).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"RESULT search {template.Name} {template.Shape}: a query took more than {options.Timeout} s (issue #4: p95 < {template.TargetP95Ms:F0} ms, NOT met); not measured further"));
            return false;
        }
    }

    private static async Task MeasureWithinTimeoutAsync(HttpClient http, ServerProcess server, PostgreSqlCpu? databaseCpu, SearchTemplate template, DriverOptions options)
    {
        // The warm-up walks the samples from the far end, so it warms the server, not the exact rows measured first.
        var warmup = Stopwatch.StartNew();
        for (int i = template.Samples.Count - 1; warmup.Elapsed.TotalSeconds < options.Warmup; i = (i + template.Samples.Count - 1) % template.Samples.Count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Timeout));
            await SearchResponse.GetAsync(http, SearchResponse.Url(template.Type, template.Samples[i]), timeout.Token).ConfigureAwait(false);
        }

        List<long> latencies = [];
        long failures = 0;
        long matchedQueries = 0;
        long matches = 0;
        long included = 0;
        TimeSpan serverCpuBefore = server.CpuTime();
        TimeSpan? databaseCpuBefore = databaseCpu?.Total();
        TimeSpan driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var elapsed = Stopwatch.StartNew();
        for (int n = 0; n < options.Samples && elapsed.Elapsed.TotalSeconds < options.Duration; n++)
        {
            KeyValuePair<string, string>[] sample = template.Samples[n % template.Samples.Count];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Timeout));
            SearchResponse response = await SearchResponse.GetAsync(http, SearchResponse.Url(template.Type, sample), timeout.Token).ConfigureAwait(false);
            if (!response.Ok)
            {
                if (failures++ == 0)
                {
                    Console.WriteLine($"  ! {template.Name}: {(int)response.Status} for {SearchTemplate.Display(template.Type, sample)}");
                }

                continue;
            }

            latencies.Add(response.ElapsedTicks);
            using JsonDocument bundle = response.Parse();
            int found = SearchResponse.Resources(bundle, "match").Count();
            matches += found;
            matchedQueries += found > 0 ? 1 : 0;
            included += SearchResponse.Resources(bundle, "include").Count();
        }

        TimeSpan time = elapsed.Elapsed;
        TimeSpan serverCpu = server.CpuTime() - serverCpuBefore;
        TimeSpan? databaseCpuUsed = databaseCpu?.Total() - databaseCpuBefore;
        TimeSpan driverCpu = Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore;
        long[] sorted = [.. latencies.Order()];
        var window = new WindowResult(sorted.Length, failures, time, sorted, serverCpu, driverCpu);
        double p95 = window.PercentileMs(0.95);
        int queries = Math.Max(sorted.Length, 1);
        string databaseCpuText = databaseCpuUsed is { } used
            ? string.Create(CultureInfo.InvariantCulture, $", PostgreSQL CPU {used.TotalMilliseconds * 1000 / queries:F0} µs/query")
            : "";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT search {template.Name} {template.Shape}: p50 {window.PercentileMs(0.50):F2} ms, p95 {p95:F2} ms, p99 {window.PercentileMs(0.99):F2} ms " +
            $"(issue #4: p95 < {template.TargetP95Ms:F0} ms, {(p95 < template.TargetP95Ms ? "met" : "NOT met")}); n={sorted.Length}, failures {failures}, " +
            $"{matchedQueries}/{sorted.Length} queries matched, {(double)matches / queries:F1} matches + {(double)included / queries:F1} included per query, " +
            $"server CPU {serverCpu.TotalMilliseconds * 1000 / queries:F0} µs/query{databaseCpuText}"));
    }
}
