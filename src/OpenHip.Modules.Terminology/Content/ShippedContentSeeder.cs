using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Terminology.Loading;

namespace OpenHip.Modules.Terminology.Content;

/// <summary>
/// Loads the terminology that ships with OpenHIP (R4 core, Chinese national sets) when a store starts for the first
/// time, and again only when an upgrade changed that content. The store remembers what it holds in its durable state,
/// so later starts cost one read; two nodes starting together both load and end with one version of each resource
/// (see <see cref="TerminologyWriter"/>).
/// </summary>
public sealed partial class ShippedContentSeeder(
    IFhirStore store,
    TerminologyWriter writer,
    IOptions<TerminologyOptions> options,
    IOptions<FhirEngineOptions> engine,
    ILogger<ShippedContentSeeder> logger)
{
    /// <summary>The store state key naming the shipped content the store holds.</summary>
    public const string StateKey = "terminology.shipped-content";

    /// <summary>Loads what is missing or changed; null when the store already held this content or loading is switched off.</summary>
    public async Task<TerminologyWriteSummary?> SeedAsync(CancellationToken ct)
    {
        TerminologyOptions settings = options.Value;
        string fingerprint = string.Join(';', new[]
        {
            settings.LoadCoreContent ? CoreSpecificationContent.Fingerprint : null,
            settings.LoadNationalContent ? NationalContent.Fingerprint : null,
        }.OfType<string>());
        if (fingerprint.Length == 0)
        {
            return null;
        }

        if (await store.GetStateAsync(StateKey, ct).ConfigureAwait(false) == fingerprint)
        {
            LogCurrent(logger, fingerprint);
            return null;
        }

        long started = Stopwatch.GetTimestamp();
        List<LoadedResource> resources = [];
        if (settings.LoadCoreContent)
        {
            resources.AddRange(CoreSpecificationContent.Load());
        }

        if (settings.LoadNationalContent)
        {
            resources.AddRange(NationalContent.Load());
        }

        // A resource the store cannot take (another artifact at its id, or refused by Fhir:ValidateProfilesOnWrite: a few
        // core definitions carry invalid URIs) is named in the log and left out; the rest still loads.
        TerminologyWriteSummary summary = await writer.WriteAsync(
            resources,
            new FhirRequestContext(engine.Value.BaseUrl ?? string.Empty),
            ct,
            refused => LogRefused(logger, refused.Message)).ConfigureAwait(false);
        await store.SetStateAsync(StateKey, fingerprint, ct).ConfigureAwait(false);
        LogLoaded(logger, resources.Count, summary.Written, summary.Unchanged, summary.Refused, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, fingerprint);
        return summary;
    }

    [LoggerMessage(EventId = 4803, Level = LogLevel.Warning, Message = "Shipped terminology resource left out: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(EventId = 4801, Level = LogLevel.Information, Message = "Shipped terminology {Fingerprint} is loaded already")]
    private static partial void LogCurrent(ILogger logger, string fingerprint);

    [LoggerMessage(EventId = 4802, Level = LogLevel.Information, Message = "Shipped terminology loaded: {Resources} resources, {Written} written, {Unchanged} already current, {Refused} left out, in {ElapsedMs} ms ({Fingerprint})")]
    private static partial void LogLoaded(ILogger logger, int resources, int written, int unchanged, int refused, long elapsedMs, string fingerprint);
}
