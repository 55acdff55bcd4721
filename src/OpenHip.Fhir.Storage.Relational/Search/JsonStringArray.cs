using System.Text.Json;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>The JSON array of strings that <see cref="ISqlDialect.JsonStrings"/> reads as rows.</summary>
internal static class JsonStringArray
{
    public static string Write(IEnumerable<string> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (string value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
