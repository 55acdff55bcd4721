namespace OpenHip.Fhir.Storage;

/// <summary>Identifies one version of a resource (what an <see cref="OutboxEvent"/> announces).</summary>
public readonly record struct VersionKey(string Type, string Id, long VersionId)
{
    public override string ToString() => $"{Type}/{Id}/_history/{VersionId}";
}
