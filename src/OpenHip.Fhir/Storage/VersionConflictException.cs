namespace OpenHip.Fhir.Storage;

/// <summary>Thrown by a store when a write's expected current version no longer holds (a concurrent writer won).</summary>
public sealed class VersionConflictException(ResourceKey key, long expected, long actual)
    : Exception($"{key}: expected current version {expected}, found {actual}")
{
    public ResourceKey Key { get; } = key;

    public long Expected { get; } = expected;

    public long Actual { get; } = actual;
}
