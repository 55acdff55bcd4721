namespace OpenHip.LoadDriver;

/// <summary>`creates`: single Patient POSTs from many concurrent clients; shows what group commit makes of one fsync per group.</summary>
internal static class CreatesScenario
{
    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int clients = options.Clients ?? 32;
        await using ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false);
        using HttpClient http = FhirHttp.Create(server.BaseUri, clients);
        long next = 0;

        Task<bool> CreateAsync(int worker, CancellationToken ct) => PatientCreate.SendAsync(http, Interlocked.Increment(ref next), options.Prefer, nationalIds: false, ct);

        Console.WriteLine($"# creates: {clients} clients, {options.Seconds} s x {options.Repeat} windows after {options.Warmup} s warm-up, Prefer {options.Prefer ?? "(none: representation)"}");
        if (options.Warmup > 0)
        {
            await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Warmup), CreateAsync).ConfigureAwait(false);
        }

        List<WindowResult> windows = [];
        for (int i = 0; i < options.Repeat; i++)
        {
            WindowResult window = await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Seconds), CreateAsync).ConfigureAwait(false);
            windows.Add(window);
            Console.WriteLine($"window {i + 1}: {window.Describe("creates")}");
        }

        Report.Summary("creates", windows, server);
    }
}
