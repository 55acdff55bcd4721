using System.Text.Json;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// A JSON string token in a document: <see cref="Start"/> is its first content byte (after the opening quote) and
/// <see cref="Length"/> the raw length of its content, escapes included; <see cref="Escaped"/> says whether the content
/// holds any escape sequence.
/// </summary>
internal readonly record struct JsonStringRange(int Start, int Length, bool Escaped)
{
    /// <summary>
    /// The unescaped UTF-8 content: a slice of <paramref name="json"/> when it holds no escape (the common case, no copy),
    /// else unescaped into <paramref name="scratch"/>, which needs <see cref="Length"/> bytes (unescaping never grows).
    /// </summary>
    public ReadOnlySpan<byte> Content(ReadOnlySpan<byte> json, Span<byte> scratch)
    {
        if (!Escaped)
        {
            return json.Slice(Start, Length);
        }

        // The reader is the unescaper System.Text.Json exposes for UTF-8; re-reading the one token (quotes included) is cheap.
        var reader = new Utf8JsonReader(json.Slice(Start - 1, Length + 2));
        reader.Read();
        return scratch[..reader.CopyString(scratch)];
    }
}
