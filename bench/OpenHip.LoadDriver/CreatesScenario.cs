using System.Net;

namespace OpenHip.LoadDriver;

/// <summary>`creates`: single Patient POSTs from many concurrent clients; shows what group commit makes of one fsync per group.</summary>
internal static class CreatesScenario
{
    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int clients = options.Clients ?? 32;
        await using ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false);
        using HttpClient http = FhirHttp.Create(server.BaseUri, clients);
        var patientUri = new Uri("Patient", UriKind.Relative);
        long next = 0;

        async Task<bool> CreateAsync(int worker, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, patientUri)
            {
                Content = new ByteArrayContent(SyntheticPatient.Utf8(Interlocked.Increment(ref next))),
            };
            request.Content.Headers.ContentType = new("application/fhir+json");
            request.Headers.Accept.ParseAdd("application/fhir+json");
            if (options.Prefer is not null)
            {
                request.Headers.Add("Prefer", $"return={options.Prefer}");
            }

            using HttpResponseMessage response = await http.SendAsync(request, ct).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.Created;
        }

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
