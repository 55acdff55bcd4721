using System.Globalization;
using System.Text;

namespace OpenHip.Modules.Mpi.Domain.Names;

/// <summary>
/// Latin-script names (and pinyin) as the matcher compares them: lower case, without diacritics (ü stays
/// distinguishable as v, the pinyin convention), punctuation as spaces; and an order-free form for names whose
/// parts were written in another order (Zhang Wei / Wei Zhang, Maria José / José Maria).
/// </summary>
internal static class LatinNames
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text.Normalize(NormalizationForm.FormD))
        {
            if (c == '\u0308' && sb.Length > 0 && sb[^1] == 'u')
            {
                sb[^1] = 'v';
                continue;
            }

            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark || c is '\'' or '\u2019')
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>The normalised tokens in alphabetical order, joined by one space.</summary>
    public static string OrderFree(string normalized)
    {
        string[] tokens = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(tokens, StringComparer.Ordinal);
        return string.Join(' ', tokens);
    }

    /// <summary>
    /// American Soundex (first letter + three digits) of the letters of a normalised name: a blocking key that
    /// survives most vowel and similar-consonant typos. Empty for empty input.
    /// </summary>
    public static string Soundex(ReadOnlySpan<char> normalized)
    {
        Span<char> key = stackalloc char[4];
        int n = 0;
        char previous = '\0';
        foreach (char c in normalized)
        {
            if (c is < 'a' or > 'z')
            {
                continue;
            }

            char code = SoundexCode(c);
            if (n == 0)
            {
                key[n++] = char.ToUpperInvariant(c);
                previous = code;
                continue;
            }

            if (code != '0' && code != previous)
            {
                key[n++] = code;
                if (n == 4)
                {
                    break;
                }
            }

            // h and w do not separate equal codes; vowels do.
            if (c is not ('h' or 'w'))
            {
                previous = code;
            }
        }

        if (n == 0)
        {
            return string.Empty;
        }

        key[n..].Fill('0');
        return new string(key);
    }

    private static char SoundexCode(char c) => c switch
    {
        'b' or 'f' or 'p' or 'v' => '1',
        'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
        'd' or 't' => '3',
        'l' => '4',
        'm' or 'n' => '5',
        'r' => '6',
        _ => '0',
    };
}
