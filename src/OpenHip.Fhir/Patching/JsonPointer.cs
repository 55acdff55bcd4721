using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Patching;

/// <summary>An RFC 6901 JSON Pointer, split into unescaped reference tokens.</summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    /// <summary>The pointer as written in the patch, used in error messages.</summary>
    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    public bool IsRoot => Tokens.Count == 0;

    public string LastToken => Tokens[^1];

    /// <summary>Parses <paramref name="text"/>; a syntax error is the client's fault, so it is a 400.</summary>
    public static JsonPointer Parse(string text, string expression)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw FhirException.BadRequest($"JSON Pointer '{text}' must be empty or start with '/'.", expression);
        }

        string[] raw = text[1..].Split('/');
        var tokens = new string[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            tokens[i] = Unescape(raw[i], text, expression);
        }

        return new JsonPointer(text, tokens);
    }

    /// <summary>True when <paramref name="other"/> points strictly inside this pointer's target.</summary>
    public bool IsProperPrefixOf(JsonPointer other)
    {
        if (other.Tokens.Count <= Tokens.Count)
        {
            return false;
        }

        for (int i = 0; i < Tokens.Count; i++)
        {
            if (!string.Equals(Tokens[i], other.Tokens[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;

    private static string Unescape(string token, string text, string expression)
    {
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return token;
        }

        var builder = new System.Text.StringBuilder(token.Length);
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c != '~')
            {
                builder.Append(c);
                continue;
            }

            // RFC 6901 allows only ~0 and ~1; decoding in one pass keeps "~01" as "~1", not "/".
            char next = i + 1 < token.Length ? token[i + 1] : '\0';
            builder.Append(next switch
            {
                '0' => '~',
                '1' => '/',
                _ => throw FhirException.BadRequest($"JSON Pointer '{text}' has an invalid escape; '~' must be followed by '0' or '1'.", expression),
            });
            i++;
        }

        return builder.ToString();
    }
}
