namespace OpenHip.Fhir.Storage;

/// <summary>The HTTP verb that produced a version, kept for history Bundles (Bundle.entry.request.method).</summary>
public enum WriteMethod
{
    Create = 0,
    Update = 1,
    Delete = 2,
    Patch = 3,
}
