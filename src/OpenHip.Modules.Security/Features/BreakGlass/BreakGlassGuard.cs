using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>
/// No client can forge a grant: creating a break-the-glass Task, or writing any resource with the module's meta.source,
/// is refused unless the module itself writes. A client may update an existing grant Task (a security officer
/// completing the review); that version carries the client's own source, so it is no longer a grant and ends it early.
/// Also brings this node's own grant writes into the grant index at once.
/// </summary>
internal sealed class BreakGlassGuard(BreakGlassGrants grants, IOptions<BreakGlassOptions> options) : IResourceWriteHook
{
    /// <summary>A Task may be a grant; any other type is only checked for a forged meta.source, which JSON shows.</summary>
    public bool Inspects(string resourceType) => resourceType == "Task";

    public bool OnWritingJson(System.Text.Json.JsonElement resource, string resourceType, List<Coding> security)
    {
        if (!BreakGlassWriteScope.IsActive && resource.TryGetProperty("meta"u8, out System.Text.Json.JsonElement meta)
            && meta.TryGetProperty("source"u8, out System.Text.Json.JsonElement source) && source.ValueKind == System.Text.Json.JsonValueKind.String
            && source.GetString() == options.Value.WriterSource)
        {
            throw FhirException.Forbidden("Break-the-glass grants are created only by Patient/{id}/$break-the-glass");
        }

        return false;
    }

    public void OnWriting(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (BreakGlassWriteScope.IsActive)
        {
            return;
        }

        bool forgesSource = resource.Meta?.Source == options.Value.WriterSource;
        bool createsGrant = resource is FhirTask task && BreakGlassTask.IsBreakGlass(task) && resource.Meta?.VersionId == "1";
        if (forgesSource || createsGrant)
        {
            throw FhirException.Forbidden("Break-the-glass grants are created only by Patient/{id}/$break-the-glass");
        }
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
        foreach (ResourceWrite write in writes)
        {
            if (write.Type == "Task")
            {
                try
                {
                    grants.Apply(new StoredResource(write.Type, write.Id, write.VersionId, write.LastUpdated, write.IsDelete, write.Method, write.Json));
                }
                catch (FormatException)
                {
                    // The outbox observer reads the same version again.
                }
            }
        }
    }
}
