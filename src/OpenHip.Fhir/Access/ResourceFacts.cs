using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Access;

/// <summary>What an access condition is evaluated on in memory: one version's index entries and compartments.</summary>
public sealed record ResourceFacts(string Type, string Id, IReadOnlyList<IndexEntry> Index, IReadOnlyList<string> Compartments)
{
    public static ResourceFacts Of(ResourceWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new(write.Type, write.Id, write.Index, write.Compartments);
    }
}
