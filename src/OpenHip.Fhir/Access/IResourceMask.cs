namespace OpenHip.Fhir.Access;

/// <summary>
/// Removes the elements of a visible resource that the caller may not see (labelled data for a role that may see the
/// resource but not all of it). Applied by the engine to every resource it returns, on every path.
/// </summary>
public interface IResourceMask
{
    /// <summary>The resource JSON with masked elements removed, or null when nothing is masked.</summary>
    ReadOnlyMemory<byte>? Apply(string type, ReadOnlyMemory<byte> json);
}
