using System.Text.Json;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// Finds every <see cref="ValueSite"/> of a JSON document in one forward <see cref="Utf8JsonReader"/> pass, at any
/// depth (contained resources, Bundle entries, Reference.identifier, extensions). Nothing is materialised: a site is
/// only byte positions, so the caller reads and replaces just the strings it needs, and a document without protected
/// values costs one tokenizer pass. It replaces a <c>JsonNode</c> parse, whose DOM and re-serialisation were most of
/// the cost of protecting a write.
/// </summary>
internal static class ValueSiteScanner
{
    /// <summary>The reader's default maximum depth, which <c>JsonNode.Parse</c> used too: deeper documents fail alike.</summary>
    private const int MaxDepth = 64;

    /// <exception cref="JsonException">Not valid JSON, nested deeper than 64, or an object with a string <c>value</c>
    /// and a string <c>system</c> where either member appears twice (which one the reader of the document believes
    /// is ambiguous, so no choice of which to encrypt is safe).</exception>
    public static List<ValueSite> Scan(ReadOnlySpan<byte> json)
    {
        List<ValueSite> sites = [];
        Span<ObjectFrame> frames = stackalloc ObjectFrame[MaxDepth + 1];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        Member pending = Member.None;
        while (reader.Read())
        {
            if (pending != Member.None)
            {
                // The token just read is the value of a "system" or "value" member of the object at depth CurrentDepth - 1.
                ref ObjectFrame owner = ref frames[reader.CurrentDepth - 1];
                JsonStringRange? text = reader.TokenType == JsonTokenType.String
                    ? new JsonStringRange((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped)
                    : null;
                owner.Record(pending, text);
                pending = Member.None;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    frames[reader.CurrentDepth] = default;
                    break;
                case JsonTokenType.PropertyName:
                    pending = reader.ValueTextEquals("value"u8) ? Member.Value : reader.ValueTextEquals("system"u8) ? Member.System : Member.None;
                    break;
                case JsonTokenType.EndObject:
                    if (frames[reader.CurrentDepth].ToSite() is { } site)
                    {
                        sites.Add(site);
                    }

                    break;
            }
        }

        return sites;
    }

    private enum Member : byte
    {
        None,
        Value,
        System,
    }

    /// <summary>What one open object has shown so far of its <c>value</c> and <c>system</c> members.</summary>
    private struct ObjectFrame
    {
        private JsonStringRange _value;
        private JsonStringRange _system;
        private bool _valueIsString;
        private bool _systemIsString;
        private bool _sawValue;
        private bool _sawSystem;
        private bool _duplicate;
        private bool _anyStringValue;
        private bool _anyStringSystem;

        public void Record(Member member, JsonStringRange? text)
        {
            if (member == Member.Value)
            {
                _duplicate |= _sawValue;
                _sawValue = true;
                _valueIsString = text.HasValue;
                _anyStringValue |= text.HasValue;
                _value = text.GetValueOrDefault();
            }
            else
            {
                _duplicate |= _sawSystem;
                _sawSystem = true;
                _systemIsString = text.HasValue;
                _anyStringSystem |= text.HasValue;
                _system = text.GetValueOrDefault();
            }
        }

        public readonly ValueSite? ToSite()
        {
            if (_duplicate && _anyStringValue && _anyStringSystem)
            {
                // Splicing replaces one string; an earlier duplicate would stay in the stored bytes as plaintext.
                throw new JsonException("A JSON object has its \"value\" or \"system\" member twice; field encryption refuses to guess which one counts.");
            }

            return _valueIsString ? new ValueSite(_value, _systemIsString ? _system : null) : null;
        }
    }
}
