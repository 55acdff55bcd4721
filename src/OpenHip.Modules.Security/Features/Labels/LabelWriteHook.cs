using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.Labels;

/// <summary>Labels every resource version before it is indexed, so <c>_security</c> searches and policies see the labels.</summary>
internal sealed class LabelWriteHook(LabelClassifier classifier) : IResourceWriteHook
{
    public bool Inspects(string resourceType) => false;

    public bool OnWritingJson(System.Text.Json.JsonElement resource, string resourceType, List<Coding> security)
    {
        classifier.Apply(resourceType, LabelClassifier.ClinicalCodes(resource, resourceType), security);
        return true;
    }

    public void OnWriting(Resource resource) => classifier.Apply(resource);

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
    }
}
