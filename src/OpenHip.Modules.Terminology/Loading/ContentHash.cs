using System.Security.Cryptography;
using System.Text.Json;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// A digest of a resource's JSON that ignores its top-level <c>meta</c> (the server rewrites versionId and
/// lastUpdated on every write) and whitespace, so a stored version and freshly loaded content compare equal exactly
/// when writing the content again would change nothing a reader sees.
/// </summary>
internal static class ContentHash
{
    public static byte[] Of(ReadOnlySpan<byte> json)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = new Utf8JsonReader(json);
        Span<byte> kind = stackalloc byte[1];
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("meta"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            kind[0] = (byte)reader.TokenType;
            hash.AppendData(kind);
            hash.AppendData(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
        }

        return hash.GetHashAndReset();
    }
}
