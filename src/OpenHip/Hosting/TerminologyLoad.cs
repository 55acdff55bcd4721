using Microsoft.Extensions.Options;
using OpenHip.Fhir;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Terminology;
using OpenHip.Modules.Terminology.Loading;

namespace OpenHip.Hosting;

/// <summary>
/// <c>openhip terminology load</c>: reads and checks every file first, then writes through the engine's write path
/// into the store `serve` would open. Exit codes: 0 loaded, 2 bad input or settings (nothing written).
/// </summary>
internal static class TerminologyLoad
{
    public static async Task<int> RunAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, string path, TerminologyLoadSettings settings, CancellationToken ct)
    {
        var configuration = new ConfigurationManager();
        OpenHipServer.AddSources(configuration, configFile, overrides);
        ServerOptions server;
        StorageOptions storage;
        FhirEngineOptions engine;
        TerminologyOptions terminology;
        try
        {
            server = OpenHipServer.Bind<ServerOptions>(configuration, ServerOptions.SectionName, null);
            storage = OpenHipServer.Bind<StorageOptions>(configuration, StorageOptions.SectionName, new StorageOptionsValidator());
            engine = OpenHipServer.Bind<FhirEngineOptions>(configuration, FhirEngineOptions.SectionName, new FhirEngineOptionsValidator());
            terminology = OpenHipServer.Bind<TerminologyOptions>(configuration, TerminologyOptions.SectionName, null);
        }
        catch (OptionsValidationException ex)
        {
            return await OpenHipServer.ReportInvalidAsync(ex).ConfigureAwait(false);
        }

        try
        {
            IReadOnlyList<LoadedResource> resources = TerminologyFileLoader.Load(path, settings);
            IFhirStore store = await Stores.OpenAsync(storage, server, ct).ConfigureAwait(false);
            var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton(Options.Create(engine))
                .AddSingleton(store)
                .AddFhirEngine()
                .AddTerminologyModule(terminology);
            await using ServiceProvider provider = services.BuildServiceProvider();
            try
            {
                // Stored SearchParameters decide how writes are indexed, as they do in the server.
                await provider.GetRequiredService<StoredSearchParameterLoader>().LoadAsync(ct).ConfigureAwait(false);
                TerminologyWriteSummary summary = await provider.GetRequiredService<TerminologyWriter>()
                    .WriteAsync(resources, new FhirRequestContext(engine.BaseUrl ?? string.Empty), ct).ConfigureAwait(false);
                Console.WriteLine($"{path}: {resources.Count} resources ({Describe(resources)}): {summary.Created} created, {summary.Updated} updated, {summary.Unchanged} unchanged");
                return 0;
            }
            finally
            {
                await Stores.DisposeAsync(store).ConfigureAwait(false);
            }
        }
        catch (TerminologyLoadException ex)
        {
            await Console.Error.WriteLineAsync($"openhip: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static string Describe(IReadOnlyList<LoadedResource> resources) =>
        string.Join(", ", resources.GroupBy(r => r.Resource.TypeName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
}
