namespace OpenHip.Fhir.Storage;

/// <summary>Identifies a resource independent of version.</summary>
public readonly record struct ResourceKey(string Type, string Id)
{
    public override string ToString() => $"{Type}/{Id}";
}
