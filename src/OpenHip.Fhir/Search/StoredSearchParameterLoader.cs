using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Activates the SearchParameter resources already in the store; the composition root runs it once at start-up,
/// before the server takes requests, so searches and indexing see the same parameters as before a restart.
/// </summary>
public sealed partial class StoredSearchParameterLoader(IFhirStore store, SearchParameterRegistry registry, ILogger<StoredSearchParameterLoader> logger)
{
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        List<SearchParameter> stored = [];
        await foreach (StoredResource resource in store.StreamCurrentAsync("SearchParameter", null, null, cancellationToken).ConfigureAwait(false))
        {
            if (FhirCodec.ParseStored(resource.Json.Span) is SearchParameter parameter)
            {
                stored.Add(parameter);
            }
        }

        if (stored.Count == 0)
        {
            return;
        }

        IReadOnlyList<string> rejected = registry.Activate(stored);
        foreach (string id in rejected)
        {
            LogRejected(logger, id);
        }

        LogLoaded(logger, stored.Count - rejected.Count);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Count} stored SearchParameter resources are active")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Stored SearchParameter/{Id} is not usable (it no longer validates) and stays inactive")]
    private static partial void LogRejected(ILogger logger, string id);
}
