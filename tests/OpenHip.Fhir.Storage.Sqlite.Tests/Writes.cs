using System.Text;

namespace OpenHip.Fhir.Storage.Sqlite.Tests;

/// <summary>Writes as the engine would send them, at fixed instants.</summary>
internal static class Writes
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 30, 15, 123, TimeSpan.Zero);

    public static ResourceWrite Create(string type, string id, DateTimeOffset? at = null, IReadOnlyList<IndexEntry>? index = null, IReadOnlyList<string>? compartments = null) =>
        new(type, id, 1, 0, at ?? T0, WriteMethod.Create, Json(type, id), null, index ?? [], compartments ?? []);

    public static ResourceWrite Update(string type, string id, long version, IReadOnlyList<IndexEntry>? index = null, IReadOnlyList<string>? compartments = null) =>
        new(type, id, version, version - 1, T0.AddMinutes(version), WriteMethod.Update, Json(type, id), null, index ?? [], compartments ?? []);

    public static ResourceWrite Delete(string type, string id, long version) =>
        new(type, id, version, version - 1, T0.AddMinutes(version), WriteMethod.Delete, ReadOnlyMemory<byte>.Empty, null, [], []);

    public static TokenIndexEntry Token(string code) => new("code", "urn:test", code);

    public static Changeset Of(params ResourceWrite[] writes) => new(writes);

    private static byte[] Json(string type, string id) => Encoding.UTF8.GetBytes($$"""{"resourceType":"{{type}}","id":"{{id}}"}""");
}
