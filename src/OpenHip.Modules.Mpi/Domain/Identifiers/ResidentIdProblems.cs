namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>Why a resident ID number is not fully trustworthy. Any problem makes it weak evidence only.</summary>
[Flags]
internal enum ResidentIdProblems
{
    None = 0,

    /// <summary>Neither 18 characters (17 digits + digit/X) nor the 15-digit legacy form.</summary>
    Malformed = 1,

    /// <summary>The ISO 7064 MOD 11-2 check character does not match: a typo somewhere.</summary>
    BadCheckDigit = 2,

    /// <summary>The birth date part is not a calendar date, or lies before 1850 or after the reference date.</summary>
    ImpossibleBirthDate = 4,

    /// <summary>The first two digits are no GB/T 2260 province (nor 81/82/83 permits, nor 9 for foreigners).</summary>
    UnknownRegion = 8,

    /// <summary>The record's birth date differs from the one the number encodes.</summary>
    BirthDateMismatch = 16,

    /// <summary>The record's sex differs from the one the number encodes (17th digit odd = male).</summary>
    SexMismatch = 32,
}
