using OpenHip.Modules.Mpi.Domain.Comparison;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// The comparison levels of each field. Level 0 is always "missing on one side" and carries no evidence; the
/// others are ordered best agreement first and get their own m and u probabilities.
/// </summary>
internal static class FieldLevels
{
    public const int FieldCount = 14;

    /// <summary>Enough for every field; vectors pack one field per 4 bits.</summary>
    public const int MaxLevels = 8;

    // Names: exact, homophone (Han), Jaro-Winkler bands, the two names swapped, different.
    public const byte NameExact = 1;
    public const byte NameHomophone = 2;
    public const byte NameClose = 3;
    public const byte NameSimilar = 4;
    public const byte NameLoose = 5;
    public const byte NameSwapped = 6;
    public const byte NameDifferent = 7;

    // Identifier-like codes: exact, one keying error, different, and (national ID only) different with both valid.
    public const byte CodeExact = 1;
    public const byte CodeOneError = 2;
    public const byte CodeDifferent = 3;
    public const byte IdDifferentBothValid = 4;

    // Free text (address lines, locality): exact, close, similar, the two address lines exchanged, different.
    public const byte TextExact = 1;
    public const byte TextClose = 2;
    public const byte TextSimilar = 3;
    public const byte TextSwapped = 4;
    public const byte TextDifferent = 5;

    public const byte Same = 1;
    public const byte Different = 2;

    public static int Count(ComparedField field) => field switch
    {
        ComparedField.NationalId => 5,
        ComparedField.Family or ComparedField.Given => 8,
        ComparedField.BirthDate => (int)DateAgreement.Different + 1,
        ComparedField.Sex or ComparedField.Region => 3,
        ComparedField.AddressLine or ComparedField.AddressLine2 or ComparedField.Locality => 6,
        ComparedField.DivisionCode => 5,
        _ => 4,
    };

    public static string Name(ComparedField field, int level) => level == 0 ? "missing" : field switch
    {
        ComparedField.Family or ComparedField.Given => level switch
        {
            NameExact => "exact",
            NameHomophone => "homophone",
            NameClose => "jaro-winkler>=0.94",
            NameSimilar => "jaro-winkler>=0.88",
            NameLoose => "jaro-winkler>=0.80",
            NameSwapped => "swapped with the other name",
            _ => "different",
        },
        ComparedField.BirthDate => ((DateAgreement)level).ToString(),
        ComparedField.Sex or ComparedField.Region => level == Same ? "same" : "different",
        ComparedField.AddressLine or ComparedField.AddressLine2 or ComparedField.Locality => level switch
        {
            TextExact => "exact",
            TextClose => "jaro-winkler>=0.92",
            TextSimilar => "jaro-winkler>=0.80",
            TextSwapped => "swapped with the other address line",
            _ => "different",
        },
        ComparedField.DivisionCode => level switch
        {
            1 => "same county or township",
            2 => "same city",
            3 => "same province",
            _ => "different province",
        },
        _ => level switch
        {
            CodeExact => "exact",
            CodeOneError => "one keying error",
            IdDifferentBothValid => "different, both valid",
            _ => "different",
        },
    };
}
