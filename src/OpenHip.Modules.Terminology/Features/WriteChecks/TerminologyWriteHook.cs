using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Terminology.Catalog;

namespace OpenHip.Modules.Terminology.Features.WriteChecks;

/// <summary>
/// Terminology on the write path: a CodeSystem whose content cannot be compiled (a hierarchy cycle, a code twice, an
/// unknown parent) is refused with a 422 before anything is written; once a change is committed, this node's catalog
/// takes it in at once (other nodes follow through <see cref="TerminologySync"/>).
/// </summary>
internal sealed class TerminologyWriteHook(TerminologyCatalog catalog) : IResourceWriteHook
{
    public void OnWriting(Resource resource)
    {
        if (resource is CodeSystem or ValueSet or ConceptMap)
        {
            TerminologyCatalog.Compile(resource, 0);
        }
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
        foreach (ResourceWrite write in writes)
        {
            catalog.Apply(write.Type, write.Id, write.VersionId, write.IsDelete ? ReadOnlyMemory<byte>.Empty : write.Json);
        }
    }
}
