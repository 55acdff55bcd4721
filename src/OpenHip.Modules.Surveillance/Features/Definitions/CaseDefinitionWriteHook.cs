using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

namespace OpenHip.Modules.Surveillance.Features.Definitions;

/// <summary>
/// Whoever writes <c>Library/surveillance-case-definitions</c> (the operation, a PUT, a transaction): definitions that do
/// not parse or do not compile (an unknown value set) are refused with 422, so detection never meets them.
/// </summary>
internal sealed class CaseDefinitionWriteHook(Func<IReadOnlyList<CaseDefinition>, EvidenceMatcher> compile) : IResourceWriteHook
{
    public bool Inspects(string resourceType) => resourceType == "Library";

    public void OnWriting(Resource resource)
    {
        if (resource is not Library { Id: CaseDefinitionLibrary.Id } library)
        {
            return;
        }

        try
        {
            compile(CaseDefinitionLibrary.Parse(library));
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw FhirException.Unprocessable($"Case definitions refused: {ex.Message}", "Library.content");
        }
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
    }
}
