using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Makes a stored SearchParameter resource active (issue #4 step 4): it is validated before it is written (400 when it
/// cannot be used) and the registry follows creates, updates and deletes once they are committed. Resources written
/// before a parameter became active are not indexed for it until they are written again (or reindexed).
/// </summary>
internal sealed class SearchParameterWriteHook(SearchParameterRegistry registry) : IResourceWriteHook
{
    private const string Type = "SearchParameter";

    public bool Inspects(string resourceType) => resourceType == Type;

    public void OnWriting(Resource resource)
    {
        if (resource is SearchParameter parameter)
        {
            registry.Validate(parameter);
        }
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
        foreach (ResourceWrite write in writes)
        {
            if (write.Type != Type)
            {
                continue;
            }

            if (write.IsDelete)
            {
                registry.Retire(write.Id, write.VersionId);
            }
            else if (FhirCodec.ParseStored(write.Json.Span) is SearchParameter parameter)
            {
                registry.Activate([parameter]);
            }
        }
    }
}
