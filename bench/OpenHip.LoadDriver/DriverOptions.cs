using System.Globalization;

namespace OpenHip.LoadDriver;

/// <summary>Command-line options; every scenario reads the ones it needs and ignores the rest.</summary>
internal sealed class DriverOptions
{
    public const string Usage = """
        usage: OpenHip.LoadDriver <ingest|creates|encrypted-creates|reads|secure-mix|bigbundle|region-load|search|subscriptions|match> [options]
          secure-mix [--resources N] [--clients 16] [--seconds S] [--repeat N] [--baseline no-auth|audit-off|audit-on]
                     [--baseline-server PATH] [--writes P] [--together] [--baseline-second]
                             the same read/create mix (P % creates, default 10; 0 for reads only) against a server with --no-auth and one with auth, access
                             policy and consent on (a system token, 1% of residents opted out), windows alternating;
                             --baseline audit-off makes the first server secured too, with only the audit log off;
                             --baseline audit-on makes it the same as the second, to compare two builds: the first runs
                             --baseline-server (another openhip.dll); --together loads both servers at once and
                             compares their CPU per request; --baseline-second starts, seeds and loads the baseline
                             after the other server instead of before it (the ratio printed is still baseline/other)
          encrypted-creates [--clients 32] [--seconds S] [--repeat N] [--prefer P]
                             Patient creates with a resident ID and a passport against a plain server and one with
                             field encryption on (a random key-encryption key), windows alternating; reports the
                             throughput ratio and server CPU per create
          region-load --residents N --data-dir DIR [--clients 4] [--seed 1]
                             generate a synthetic region in memory and POST it (shared Bundle, then one transaction per
                             resident) to a server on DIR, which is kept; then report ingest rate and index size on disk
          search --data-dir DIR [--samples 200] [--duration 60] [--warmup 3] [--timeout 30]
                             start a server on a loaded DIR, discover values through the API, time each issue #4 query
                             template sequentially, then print its SQL and SQLite's EXPLAIN QUERY PLAN; with
                             --set Storage:Provider=postgres and --set Storage:PostgreSql:ConnectionString=... the
                             server searches that loaded database instead (--data-dir optional) and the plans are
                             PostgreSQL's EXPLAIN (ANALYZE, BUFFERS), with the cluster's CPU per query when it is local
          subscriptions [--clients 16] [--seconds S] [--repeat N]
                             Observation creates (1 in 10 matching a rest-hook Subscription to an endpoint in the
                             driver): delay from each matching create's 201 to its notification, p50/p95/p99
          match [--resources N] [--clients 16] [--seconds S] [--repeat N] [--data-dir DIR]
                             seed N Patients, then Patient/$match with a random seeded Patient's demographics;
                             a --data-dir that already holds a store is reused without seeding
          --clients N        concurrent clients (ingest 4, region-load 4, creates and encrypted-creates 32, reads 16, subscriptions 16)
          --seconds S        measured window per repeat (creates, reads; default 20)
          --warmup S         unmeasured warm-up before the first window, per template for search (default 3)
          --residents N      region-load: residents generated (about 19 resources each)
          --seed N           region-load: generator seed; search: how values are drawn (default 1)
          --data-dir DIR     region-load: new directory for the server's data (kept); search: a loaded one
          --samples K        search: measured queries per template, values varied (default 200)
          --duration S       search: at most S measured seconds per template (default 60)
          --timeout S        search: a query slower than S seconds ends its template and restarts the server (default 30)
          --repeat N         ingest: fresh servers; creates/reads: windows on one server; medians reported (default 1)
          --resources N      reads: Patients seeded before reading (default 100000)
          --nodes N          reads: servers over one database, clients spread over them (1 or 2; 2 needs
                             --set Storage:Provider=postgres and its connection string; default 1)
          --entries N        bigbundle: entries in the generated batch Bundle (default 100000)
          --prefer P         creates: Prefer return=P (minimal|representation|OperationOutcome; default none)
          --server PATH      openhip.dll to start (default src/OpenHip/bin/<configuration>/net10.0/openhip.dll)
          --data DIR         FHIR test data (default ../shared/data/fhir)
          --set KEY=VALUE    a server setting, e.g. Fhir:IndexTokens=false (repeatable)
          --keep             keep the server's temporary data directory
        """;

    public required string Scenario { get; init; }

    public int? Clients { get; private set; }

    public int Seconds { get; private set; } = 20;

    public int Warmup { get; private set; } = 3;

    public int Repeat { get; private set; } = 1;

    public int Resources { get; private set; } = 100_000;

    public int Entries { get; private set; } = 100_000;

    public int Nodes { get; private set; } = 1;

    public int? Residents { get; private set; }

    public int Seed { get; private set; } = 1;

    public string? DataDirectory { get; private set; }

    public int Samples { get; private set; } = 200;

    public int Duration { get; private set; } = 60;

    public int Timeout { get; private set; } = 30;

    public string? Prefer { get; private set; }

    public string? Server { get; private set; }

    public string? Data { get; private set; }

    public bool Keep { get; private set; }

    /// <summary>secure-mix: what the first server is (the second is always secured, with the audit log on).</summary>
    public SecureMixBaseline Baseline { get; private set; }

    /// <summary>secure-mix: the openhip.dll the first server runs, when it is another build.</summary>
    public string? BaselineServer { get; private set; }

    /// <summary>secure-mix: load both servers at once (<see cref="SecureMixTogether"/>) instead of alternating windows.</summary>
    public bool Together { get; private set; }

    /// <summary>
    /// secure-mix: start, seed and load the baseline second. Of two identical servers the first has cost from ~1 % less to
    /// ~5 % more CPU per request than the second, from run to run; runs in both orders average that out.
    /// </summary>
    public bool BaselineSecond { get; private set; }

    /// <summary>secure-mix: percentage of requests that are creates.</summary>
    public int WritePercent { get; private set; } = 10;

    /// <summary>Server settings passed as OPENHIP__ environment variables.</summary>
    public List<KeyValuePair<string, string>> Settings { get; } = [];

    public static DriverOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("a scenario is required");
        }

        var options = new DriverOptions { Scenario = args[0] };
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--keep")
            {
                options.Keep = true;
                continue;
            }

            if (name == "--together")
            {
                options.Together = true;
                continue;
            }

            if (name == "--baseline-second")
            {
                options.BaselineSecond = true;
                continue;
            }

            string value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--clients": options.Clients = Positive(name, value); break;
                case "--seconds": options.Seconds = Positive(name, value); break;
                case "--warmup": options.Warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--repeat": options.Repeat = Positive(name, value); break;
                case "--resources": options.Resources = Positive(name, value); break;
                case "--entries": options.Entries = Positive(name, value); break;
                case "--nodes": options.Nodes = Positive(name, value) is var n and <= 2 ? n : throw new ArgumentException("--nodes is 1 or 2"); break;
                case "--residents": options.Residents = Positive(name, value); break;
                case "--seed": options.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--data-dir": options.DataDirectory = Path.GetFullPath(value); break;
                case "--samples": options.Samples = Positive(name, value); break;
                case "--duration": options.Duration = Positive(name, value); break;
                case "--timeout": options.Timeout = Positive(name, value); break;
                case "--prefer": options.Prefer = value; break;
                case "--writes": options.WritePercent = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) is var w and <= 100 ? w : throw new ArgumentException("--writes is a percentage"); break;
                case "--baseline": options.Baseline = ParseBaseline(value); break;
                case "--baseline-server": options.BaselineServer = Path.GetFullPath(value); break;
                case "--server": options.Server = Path.GetFullPath(value); break;
                case "--data": options.Data = Path.GetFullPath(value); break;
                case "--set" when value.Split('=', 2) is [{ Length: > 0 } key, var setting]: options.Settings.Add(new(key, setting)); break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        return options;
    }

    private static SecureMixBaseline ParseBaseline(string baseline) => baseline switch
    {
        "no-auth" => SecureMixBaseline.NoAuth,
        "audit-off" => SecureMixBaseline.AuditOff,
        "audit-on" => SecureMixBaseline.AuditOn,
        _ => throw new ArgumentException($"--baseline is no-auth, audit-off or audit-on, not '{baseline}'"),
    };

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} expects a positive integer, not '{value}'");
}
