using System.Globalization;
using System.Text;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// Folding for the <c>$expand</c> text filter: compatibility forms (full-width Latin, half-width kana), case and
/// accents go, so "Diabete" finds "Diabète" and a full-width "ＣＯＶＩＤ" finds "COVID". Han text needs no word breaks:
/// every filter term is matched as a substring, which is how Chinese users type a fragment of a term.
/// </summary>
internal static class SearchText
{
    public static string Fold(string value)
    {
        string compatible = value.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(compatible.Length);
        foreach (char c in compatible)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>The folded, whitespace-separated terms of a filter; a concept matches when its text contains every one.</summary>
    public static string[] Terms(string filter) =>
        Fold(filter).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public static bool Matches(string foldedText, string[] terms)
    {
        foreach (string term in terms)
        {
            if (!foldedText.Contains(term, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
