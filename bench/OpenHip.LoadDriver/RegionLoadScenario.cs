using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Synthetic;

namespace OpenHip.LoadDriver;

/// <summary>
/// `region-load`: a synthetic region (issue #3's generator, seeded) generated in memory one resident at a time and
/// POSTed to a server on a kept data directory: the shared Bundle first, then every resident's transaction Bundle over
/// N clients. The rate is ingest with full search indexing; the directory then serves the `search` scenario.
/// </summary>
internal static class RegionLoadScenario
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int residents = options.Residents ?? throw new ArgumentException("region-load needs --residents N");
        string directory = options.DataDirectory ?? throw new ArgumentException("region-load needs --data-dir DIR");
        if (File.Exists(Path.Combine(directory, DatabaseSize.FileName)))
        {
            // Resident Bundles are POSTs: loading twice would store every resident twice.
            throw new ArgumentException($"{directory} already holds {DatabaseSize.FileName}; region-load needs a new directory");
        }

        int clients = options.Clients ?? 4;
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = residents, Seed = options.Seed });
        Console.WriteLine($"# region-load: {residents} residents (seed {options.Seed}) over {clients} clients into {directory}");

        long stored;
        await using (ServerProcess server = await ServerProcess.StartAsync(serverAssembly, true, options.Settings, directory, CancellationToken.None).ConfigureAwait(false))
        {
            using HttpClient http = FhirHttp.Create(server.BaseUri, clients);
            (int shared, int sharedFailed, string? sharedProblem) = await BundleResponse.PostAsync(http, FhirCodec.ToJsonBytes(generator.CreateSharedBundle()), CancellationToken.None).ConfigureAwait(false);
            if (sharedFailed > 0)
            {
                throw new InvalidOperationException($"the shared Bundle failed: {sharedProblem}");
            }

            TimeSpan cpuBefore = server.CpuTime();
            TimeSpan driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var elapsed = Stopwatch.StartNew();
            (long loaded, long failures) = await PostResidentsAsync(http, generator, clients, elapsed).ConfigureAwait(false);
            TimeSpan time = elapsed.Elapsed;
            TimeSpan cpu = server.CpuTime() - cpuBefore;
            TimeSpan driverCpu = Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore;
            long peak = server.PeakRssBytes();
            stored = shared + loaded;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"RESULT region-load: {loaded} resources of {residents} residents in {time.TotalSeconds:F1} s = {loaded / time.TotalSeconds:F0} resources/s " +
                $"(full indexing, {clients} clients; target >= 2,000), failed entries {failures}, shared Bundle {shared} resources, " +
                $"server CPU {cpu.TotalSeconds / time.TotalSeconds:F2} cores ({cpu.TotalMilliseconds * 1000 / Math.Max(loaded, 1):F0} µs/resource), " +
                $"driver {driverCpu.TotalSeconds / time.TotalSeconds:F2} cores, peak server RSS {Stats.Mebibytes(peak)}"));

            // Sizes are read with the server gone, so nothing grows while they are summed.
            await server.StopAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        }

        DatabaseSize.Report(directory, stored);
    }

    private static async Task<(long Resources, long Failures)> PostResidentsAsync(HttpClient http, SyntheticRegionGenerator generator, int clients, Stopwatch elapsed)
    {
        // One generator thread (it is cheap: ~100,000 resources/s) feeds the clients through a short queue.
        Channel<byte[]> bundles = Channel.CreateBounded<byte[]>(clients * 4);
        using var failed = new CancellationTokenSource();
        Task producer = Task.Run(async () =>
        {
            try
            {
                foreach (ResidentHistory resident in generator.GenerateResidents())
                {
                    await bundles.Writer.WriteAsync(FhirCodec.ToJsonBytes(resident.Bundle), failed.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                bundles.Writer.Complete();
            }
        });

        long resources = 0;
        long failures = 0;
        long residentsDone = 0;
        Task[] posters = new Task[clients];
        for (int c = 0; c < clients; c++)
        {
            posters[c] = Task.Run(async () =>
            {
                try
                {
                    await foreach (byte[] bundle in bundles.Reader.ReadAllAsync(failed.Token).ConfigureAwait(false))
                    {
                        (int ok, int notOk, string? problem) = await BundleResponse.PostAsync(http, bundle, failed.Token).ConfigureAwait(false);
                        Interlocked.Add(ref resources, ok);
                        Interlocked.Add(ref failures, notOk);
                        Interlocked.Increment(ref residentsDone);
                        if (problem is not null)
                        {
                            Console.WriteLine($"  ! {problem}");
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A dead client must not leave the generator blocked on a full queue.
                    await failed.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            });
        }

        Task all = Task.WhenAll(posters.Append(producer));
        while (await Task.WhenAny(all, Task.Delay(ProgressEvery)).ConfigureAwait(false) != all)
        {
            long done = Interlocked.Read(ref resources);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {elapsed.Elapsed.TotalSeconds,6:F0} s: {Interlocked.Read(ref residentsDone)} residents, {done} resources ({done / elapsed.Elapsed.TotalSeconds:F0}/s)"));
        }

        await all.ConfigureAwait(false);
        return (resources, failures);
    }
}
