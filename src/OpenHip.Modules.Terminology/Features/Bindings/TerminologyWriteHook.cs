using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Terminology.Catalog;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// Terminology on the write path. Before a write: a CodeSystem whose content cannot be compiled (a hierarchy cycle, a
/// code twice, an unknown parent) is refused with a 422, and coded elements are checked against their bindings
/// (<see cref="BindingChecker"/>): required violations refuse the write with a 422 naming each element, the others
/// become warnings of the response. After a commit this node's catalog takes the change in at once; other nodes
/// follow through <see cref="TerminologySync"/>.
/// </summary>
internal sealed class TerminologyWriteHook(
    TerminologyCatalog catalog, BindingChecker bindings, JsonBindingChecker jsonBindings, IOptions<TerminologyOptions> options) : IResourceWriteHook
{
    /// <summary>
    /// Terminology resources are compiled from the POCO; the bindings of every other type are checked on whichever form
    /// the write has (the bulk import's JSON path: <see cref="OnWritingJson"/>).
    /// </summary>
    public bool Inspects(string resourceType) => resourceType is "CodeSystem" or "ValueSet" or "ConceptMap";

    public void OnWriting(Resource resource)
    {
        if (resource is CodeSystem or ValueSet or ConceptMap)
        {
            TerminologyCatalog.Compile(resource, 0);
        }

        if (options.Value.CheckedStrengths.Count == 0)
        {
            return;
        }

        Report(bindings.Check(resource));
    }

    public bool OnWritingJson(System.Text.Json.JsonElement resource, string resourceType, List<Coding> security)
    {
        if (options.Value.CheckedStrengths.Count > 0)
        {
            Report(jsonBindings.Check(resource, resourceType));
        }

        return false;
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
        foreach (ResourceWrite write in writes)
        {
            catalog.Apply(write.Type, write.Id, write.VersionId, write.IsDelete ? ReadOnlyMemory<byte>.Empty : write.Json);
        }
    }

    private static void Report(IReadOnlyList<FhirIssue> issues)
    {
        List<FhirIssue> errors = [.. issues.Where(i => i.Severity == OperationOutcome.IssueSeverity.Error)];
        if (errors.Count > 0)
        {
            throw new FhirException(FhirErrorKind.Unprocessable, errors);
        }

        foreach (FhirIssue warning in issues)
        {
            WriteWarnings.Add(warning);
        }
    }
}
