using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Api;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;
using OpenHip.Modules.Synthetic;

namespace OpenHip.Hosting;

/// <summary>
/// `serve --demo`: loads the synthetic demo region through the normal transaction path when the store is empty, then
/// reports ready. A store that holds other data is never mixed with demo data.
/// </summary>
internal sealed partial class DemoLoader(
    IFhirStore store,
    TransactionProcessor transactions,
    Readiness readiness,
    IOptions<FhirApiOptions> api,
    IOptions<ServerOptions> server,
    IHostApplicationLifetime lifetime,
    ILogger<DemoLoader> logger) : BackgroundService
{
    private static readonly string[] TerminologyTypes = ["CodeSystem", "ValueSet", "ConceptMap", "NamingSystem"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = server.Value.DemoPatients });
        Bundle shared = generator.CreateSharedBundle();
        string marker = $"{shared.Entry[0].Resource!.TypeName}/{shared.Entry[0].Resource!.Id}";
        if (await HoldsOtherDataAsync(stoppingToken).ConfigureAwait(false))
        {
            if (await store.ReadCurrentAsync(marker.Split('/')[0], marker.Split('/')[1], stoppingToken).ConfigureAwait(false) is null)
            {
                LogRefused(logger, server.Value.DataDirectory);
                readiness.MarkFailed("--demo needs an empty store or one holding the demo region");
                lifetime.StopApplication();
                return;
            }

            LogAlreadyLoaded(logger);
            readiness.MarkReady();
            return;
        }

        var context = new FhirRequestContext(api.Value.BaseUrl.TrimEnd('/'));
        await transactions.ProcessAsync(shared, context, false, stoppingToken).ConfigureAwait(false);
        string? firstPatient = null;
        int residents = 0;
        foreach (ResidentHistory resident in generator.GenerateResidents())
        {
            ResponseBundle response = await transactions.ProcessAsync(resident.Bundle, context, false, stoppingToken).ConfigureAwait(false);
            firstPatient ??= response.Entries.Select(e => e.Location).FirstOrDefault(l => l?.StartsWith("Patient/", StringComparison.Ordinal) == true);
            residents++;
        }

        readiness.MarkReady();
        string baseUrl = api.Value.BaseUrl.TrimEnd('/');
        string patient = firstPatient is null ? "Patient/<id>" : firstPatient[..firstPatient.IndexOf("/_history", StringComparison.Ordinal)];
        LogLoaded(logger, residents, baseUrl, patient, marker);
    }

    /// <summary>Whether the store holds anything besides the terminology every store is seeded with on first start.</summary>
    private async Task<bool> HoldsOtherDataAsync(CancellationToken ct)
    {
        long total = (await store.ReadHistoryAsync(new HistoryQuery(null, null, null, 1, null), ct).ConfigureAwait(false)).Total ?? 0;
        foreach (string type in TerminologyTypes)
        {
            total -= (await store.ReadHistoryAsync(new HistoryQuery(type, null, null, 1, null), ct).ConfigureAwait(false)).Total ?? 0;
        }

        return total > 0;
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error, Message = "--demo refused: the store in {DataDirectory} holds data that is not the demo region. Use an empty --data-dir.")]
    private static partial void LogRefused(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Demo region already loaded; ready.")]
    private static partial void LogAlreadyLoaded(ILogger logger);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Demo region loaded ({Residents} residents). Try:\n  curl {BaseUrl}/{Patient}\n  curl {BaseUrl}/{Organization}\n  curl '{BaseUrl}/_history?_count=5'\n  curl {BaseUrl}/metadata")]
    private static partial void LogLoaded(ILogger logger, int residents, string baseUrl, string patient, string organization);
}
