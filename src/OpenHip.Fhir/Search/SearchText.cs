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
        switch (AsciiCase(value))
        {
            case Ascii.Lower:
                return value;
            case Ascii.Mixed:
                // Compatibility decomposition leaves ASCII as it is: lower-casing is all the folding it needs.
                return value.ToLowerInvariant();
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

    private static Ascii AsciiCase(string value)
    {
        Ascii result = Ascii.Lower;
        foreach (char c in value)
        {
            if (c > 0x7f)
            {
                return Ascii.No;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                result = Ascii.Mixed;
            }
        }

        return result;
    }

    private enum Ascii
    {
        Lower,
        Mixed,
        No,
    }
}
