using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Features.CaseDetection;

namespace OpenHip.Modules.Surveillance.Features.Definitions;

/// <summary>
/// The case definitions in force: those of <c>Library/surveillance-case-definitions</c> when it exists, else the
/// deployment's (the file named by configuration, or the shipped defaults). Each caller asks per batch or request; the
/// Library's current version is one point read, and a changed version (written on any node) is compiled once.
/// </summary>
internal sealed class CaseDefinitionSource(IFhirStore store, CaseDefinitionCatalog deployment, Func<IReadOnlyList<CaseDefinition>, EvidenceMatcher> compile)
{
    private readonly Lock _gate = new();
    private CaseDefinitionSet? _deployment;
    private CaseDefinitionSet? _installed;

    public async Task<CaseDefinitionSet> CurrentAsync(CancellationToken ct)
    {
        StoredResource? stored = await store.ReadCurrentAsync("Library", CaseDefinitionLibrary.Id, ct).ConfigureAwait(false);
        lock (_gate)
        {
            if (stored is null || stored.IsDeleted)
            {
                return _deployment ??= new CaseDefinitionSet(deployment, compile(deployment.Definitions), 0);
            }

            if (_installed?.Version != stored.VersionId)
            {
                // The write hook let only well-formed definitions in, so this parses.
                IReadOnlyList<CaseDefinition> definitions = CaseDefinitionLibrary.Parse((Library)FhirCodec.ParseStored(stored.Json.Span));
                _installed = new CaseDefinitionSet(new CaseDefinitionCatalog(definitions, $"Library/{CaseDefinitionLibrary.Id}/_history/{stored.VersionId}"), compile(definitions), stored.VersionId);
            }

            return _installed;
        }
    }
}
