using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace OpenHip.LoadDriver;

/// <summary>
/// `ingest`: the Synthea sets as a FHIR client would load them. The two provider batch Bundles of the fhir-data-pipes
/// set go first, one after the other (the patient Bundles' conditional references resolve against them); then its
/// patient transactions; then those of the smart-on-fhir set. Patient transactions go over N clients, largest first so
/// no big Bundle is left running alone at the end of a phase.
/// </summary>
/// <remarks>
/// The smart-on-fhir Bundles create Organizations whose Synthea identifiers also occur in the provider Bundles, so
/// once one of them is stored, `Organization?identifier=...` in a fhir-data-pipes patient matches twice and its
/// transaction rightly fails (412). Hence the fhir-data-pipes patients finish before the smart-on-fhir ones start.
/// </remarks>
internal static class IngestScenario
{
    private const string ConditionalSet = "synthea-r4-hiv-fhir-data-pipes";
    private const string SelfContainedSet = "synthea-r4-smart-on-fhir";

    public static async Task RunAsync(DriverOptions options, string serverAssembly, string dataDirectory)
    {
        int clients = options.Clients ?? 4;
        string conditional = Path.Combine(dataDirectory, ConditionalSet);
        string selfContained = Path.Combine(dataDirectory, SelfContainedSet);
        if (!Directory.Exists(conditional) || !Directory.Exists(selfContained))
        {
            throw new DirectoryNotFoundException($"{conditional} and {selfContained} are needed (pass --data)");
        }

        byte[][] providers = [.. Directory.GetFiles(conditional, "*Information*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
        byte[][] conditionalPatients = [.. Directory.GetFiles(conditional, "*.json").Where(f => !Path.GetFileName(f).Contains("Information", StringComparison.Ordinal))
            .Select(File.ReadAllBytes)
            .OrderByDescending(b => b.Length)];
        byte[][] selfContainedPatients = [.. Directory.GetFiles(selfContained, "*.json").Select(File.ReadAllBytes).OrderByDescending(b => b.Length)];
        byte[][][] patientPhases = [conditionalPatients, selfContainedPatients];
        byte[][] patients = [.. conditionalPatients, .. selfContainedPatients];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"# ingest: {providers.Length} provider batches ({Stats.Mebibytes(providers.Sum(p => (long)p.Length))}) then {patients.Length} patient transactions " +
            $"({Stats.Mebibytes(patients.Sum(p => (long)p.Length))}) over {clients} clients, {options.Repeat} run(s), a fresh server each"));

        List<(double Patient, double Overall, long PeakRss)> runs = [];
        for (int run = 1; run <= options.Repeat; run++)
        {
            runs.Add(await RunOnceAsync(run, options, serverAssembly, clients, providers, patientPhases).ConfigureAwait(false));
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT ingest: median of {runs.Count}: patient phase {Stats.Median(runs.Select(r => r.Patient)):F0} resources/s, " +
            $"overall {Stats.Median(runs.Select(r => r.Overall)):F0} resources/s, peak server RSS {Stats.Mebibytes((long)Stats.Median(runs.Select(r => (double)r.PeakRss)))}"));
    }

    private static async Task<(double Patient, double Overall, long PeakRss)> RunOnceAsync(
        int run, DriverOptions options, string serverAssembly, int clients, byte[][] providers, byte[][][] patientPhases)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false);
        using HttpClient http = FhirHttp.Create(server.BaseUri, clients);

        // A local PostgreSQL cluster's CPU is counted too: on one host the store's CPU is the server's plus the cluster's.
        PostgreSqlCpu? databaseCpu = SearchStore.From(options.Settings).PostgreSqlConnection is { } connection ? PostgreSqlCpu.TryFind(connection) : null;
        TimeSpan? databaseCpuBefore = databaseCpu?.Total();
        TimeSpan cpuBefore = server.CpuTime();
        var overall = Stopwatch.StartNew();
        long providerResources = 0;
        long failures = 0;
        foreach (byte[] bundle in providers)
        {
            (int ok, int failed, string? problem) = await BundleResponse.PostAsync(http, bundle, CancellationToken.None).ConfigureAwait(false);
            providerResources += ok;
            failures += failed;
            Warn(problem);
        }

        TimeSpan providerElapsed = overall.Elapsed;
        long patientResources = 0;
        var patientPhase = Stopwatch.StartNew();
        foreach (byte[][] phase in patientPhases)
        {
            var queue = new ConcurrentQueue<byte[]>(phase);
            Task[] posters = new Task[clients];
            for (int c = 0; c < clients; c++)
            {
                posters[c] = Task.Run(async () =>
                {
                    while (queue.TryDequeue(out byte[]? bundle))
                    {
                        (int ok, int failed, string? problem) = await BundleResponse.PostAsync(http, bundle, CancellationToken.None).ConfigureAwait(false);
                        Interlocked.Add(ref patientResources, ok);
                        Interlocked.Add(ref failures, failed);
                        Warn(problem);
                    }
                });
            }

            await Task.WhenAll(posters).ConfigureAwait(false);
        }

        TimeSpan patientElapsed = patientPhase.Elapsed;
        TimeSpan total = overall.Elapsed;
        TimeSpan cpu = server.CpuTime() - cpuBefore;
        string database = databaseCpu?.Total() is { } after && databaseCpuBefore is { } before
            ? string.Create(CultureInfo.InvariantCulture, $"; PostgreSQL CPU {(after - before).TotalSeconds:F1} s")
            : string.Empty;
        (TimeSpan drainedAfter, TimeSpan drainedCpu, TimeSpan? drainedDatabase) = await DrainAsync(server, databaseCpu).ConfigureAwait(false);
        string drained = string.Create(
            CultureInfo.InvariantCulture,
            $"; with the outbox consumers' backlog (quiet {drainedAfter.TotalSeconds:F1} s after the last response): server CPU {(drainedCpu - cpuBefore).TotalSeconds:F1} s")
            + (drainedDatabase is { } d && databaseCpuBefore is { } b ? string.Create(CultureInfo.InvariantCulture, $", PostgreSQL CPU {(d - b).TotalSeconds:F1} s") : string.Empty);
        long peak = server.PeakRssBytes();
        double patientRate = patientResources / patientElapsed.TotalSeconds;
        double overallRate = (providerResources + patientResources) / total.TotalSeconds;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"run {run}: providers {providerResources} resources in {providerElapsed.TotalSeconds:F1} s ({providerResources / providerElapsed.TotalSeconds:F0}/s); " +
            $"patients {patientResources} in {patientElapsed.TotalSeconds:F1} s ({patientRate:F0}/s); overall {providerResources + patientResources} in {total.TotalSeconds:F1} s " +
            $"({overallRate:F0}/s); failed entries {failures}; server CPU {cpu.TotalSeconds / total.TotalSeconds:F2} cores ({cpu.TotalSeconds:F1} s){database}; " +
            $"peak server RSS {Stats.Mebibytes(peak)}{drained}"));
        return (patientRate, overallRate, peak);
    }

    /// <summary>
    /// Waits until the server has gone quiet (two one-second windows below a tenth of a core), up to three minutes, and
    /// returns when the quiet began with the server's and the cluster's CPU totals then. The outbox consumers (MPI
    /// linking, case detection) may still be working through the ingest's events at the last response; a build whose
    /// consumers lag further would otherwise be charged less of the same work.
    /// </summary>
    private static async Task<(TimeSpan After, TimeSpan ServerCpu, TimeSpan? DatabaseCpu)> DrainAsync(ServerProcess server, PostgreSqlCpu? databaseCpu)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan quietFrom = clock.Elapsed;
        TimeSpan quietCpu = server.CpuTime();
        TimeSpan? quietDatabase = databaseCpu?.Total();
        int quietWindows = 0;
        TimeSpan last = quietCpu;
        while (quietWindows < 2 && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            TimeSpan at = clock.Elapsed;
            TimeSpan? database = databaseCpu?.Total();
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            TimeSpan now = server.CpuTime();
            if ((now - last).TotalSeconds < 0.1 * (clock.Elapsed - at).TotalSeconds)
            {
                if (quietWindows++ == 0)
                {
                    (quietFrom, quietCpu, quietDatabase) = (at, last, database);
                }
            }
            else
            {
                quietWindows = 0;
            }

            last = now;
        }

        return (quietFrom, quietCpu, quietDatabase);
    }

    private static void Warn(string? problem)
    {
        if (problem is not null)
        {
            Console.WriteLine($"  ! {problem}");
        }
    }
}
