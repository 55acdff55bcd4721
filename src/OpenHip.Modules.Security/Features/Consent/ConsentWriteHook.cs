using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>A Consent committed on this node restricts this node's next request at once; other nodes follow the outbox.</summary>
internal sealed class ConsentWriteHook(ConsentIndex index) : IResourceWriteHook
{
    public bool Inspects(string resourceType) => false;

    public void OnWriting(Resource resource)
    {
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
        foreach (ResourceWrite write in writes)
        {
            if (write.Type != "Consent")
            {
                continue;
            }

            try
            {
                index.Apply(new StoredResource(write.Type, write.Id, write.VersionId, write.LastUpdated, write.IsDelete, write.Method, write.Json));
            }
            catch (FormatException)
            {
                // The commit stands and was validated; the outbox observer reads the same version again.
            }
        }
    }
}
