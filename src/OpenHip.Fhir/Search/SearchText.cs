using System.Globalization;
using System.Text;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The one normalisation that string index values and string search values both go through, so that
/// <c>name=muller</c> finds "Müller" and full-width "ＺＨＡＮＧ" finds "Zhang". Han characters pass through
/// unchanged (simplified/traditional folding belongs to the MPI, not to search).
/// </summary>
public static class SearchText
{
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsPlainLowerAscii(value))
        {
            return value;
        }

        // Compatibility decomposition folds full-width forms and ligatures and splits accents off their letters.
        string decomposed = value.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool IsPlainLowerAscii(string value)
    {
        foreach (char c in value)
        {
            if (c > 0x7f || char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        return true;
    }
}
