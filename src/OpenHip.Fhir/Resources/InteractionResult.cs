using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Resources;

/// <summary>The outcome of one interaction: HTTP status plus the version it produced or found (null for a no-op delete).</summary>
public sealed record InteractionResult(int Status, StoredResource? Resource)
{
    public static InteractionResult Ok(StoredResource resource) => new(200, resource);

    public static InteractionResult Created(StoredResource resource) => new(201, resource);

    public static InteractionResult NoContent(StoredResource? resource = null) => new(204, resource);
}
