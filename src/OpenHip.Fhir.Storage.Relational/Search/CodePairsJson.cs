using System.Text.Json;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>The JSON array of <c>[system, code]</c> pairs that <see cref="ISqlDialect.CodePairs"/> reads.</summary>
internal static class CodePairsJson
{
    public static string Write(IEnumerable<CodeToken> tokens)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (CodeToken token in tokens)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(token.System);
                writer.WriteStringValue(token.Code);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
