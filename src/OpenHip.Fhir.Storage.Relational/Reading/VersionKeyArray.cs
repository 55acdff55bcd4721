using System.Text.Json;

namespace OpenHip.Fhir.Storage.Relational.Reading;

/// <summary>The JSON array of [type, id, version] triples that the default <see cref="ISqlDialect.VersionKeys"/> reads as rows.</summary>
internal static class VersionKeyArray
{
    public static string Write(IReadOnlyList<VersionKey> keys)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (VersionKey key in keys)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(key.Type);
                writer.WriteStringValue(key.Id);
                writer.WriteNumberValue(key.VersionId);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
