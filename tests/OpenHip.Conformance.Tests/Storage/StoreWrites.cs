using System.Text;
using OpenHip.Fhir.Storage;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>Builds the writes the engine would send, with fixed instants so tests never read a clock.</summary>
public static class StoreWrites
{
    /// <summary>A fixed instant with milliseconds, the precision the engine sets on lastUpdated.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 30, 15, 123, TimeSpan.Zero);

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static ResourceWrite Create(string type, string id, DateTimeOffset? at = null, IReadOnlyList<IndexEntry>? index = null, IReadOnlyList<string>? compartments = null) =>
        new(type, id, 1, 0, at ?? T0, WriteMethod.Create, Json(type, id, 1), "Organization/org-1", index ?? [], compartments ?? []);

    public static ResourceWrite Update(string type, string id, long version, DateTimeOffset? at = null, IReadOnlyList<IndexEntry>? index = null, IReadOnlyList<string>? compartments = null) =>
        new(type, id, version, version - 1, at ?? T0.AddMinutes(version), WriteMethod.Update, Json(type, id, version), "Organization/org-1", index ?? [], compartments ?? []);

    public static ResourceWrite Delete(string type, string id, long version, DateTimeOffset? at = null) =>
        new(type, id, version, version - 1, at ?? T0.AddMinutes(version), WriteMethod.Delete, ReadOnlyMemory<byte>.Empty, "Organization/org-1", [], []);

    public static TokenIndexEntry Token(string parameter, string? system, string code) => new(parameter, system, code);

    public static byte[] Json(string type, string id, long version) =>
        Encoding.UTF8.GetBytes($$"""{"resourceType":"{{type}}","id":"{{id}}","meta":{"versionId":"{{version}}"},"note":"版本 {{version}}"}""");
}
