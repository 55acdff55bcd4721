using OpenHip.Modules.Mpi.Domain.Identifiers;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// One record as the matcher sees it: every field already normalised (see <see cref="PersonRecordBuilder"/>), empty
/// strings for missing values. Immutable, so blocking and scoring share it across threads.
/// </summary>
internal sealed record PersonRecord
{
    public required string Id { get; init; }

    /// <summary>Which institution or file the record came from (for one-record-per-source linkage).</summary>
    public int Source { get; init; }

    /// <summary>Family name in Latin letters: normalised Latin, or the pinyin of the Han name.</summary>
    public string Family { get; init; } = string.Empty;

    public string Given { get; init; } = string.Empty;

    /// <summary>Han family name folded to simplified characters; empty when the name has no Han characters.</summary>
    public string HanFamily { get; init; } = string.Empty;

    public string HanGiven { get; init; } = string.Empty;

    /// <summary>yyyyMMdd digits as written (possibly not a real date), or empty.</summary>
    public string BirthDate { get; init; } = string.Empty;

    public AdministrativeSex Sex { get; init; }

    public string Phone { get; init; } = string.Empty;

    public string HouseNumber { get; init; } = string.Empty;

    public string AddressLine { get; init; } = string.Empty;

    public string AddressLine2 { get; init; } = string.Empty;

    public string Locality { get; init; } = string.Empty;

    public string PostalCode { get; init; } = string.Empty;

    public string Region { get; init; } = string.Empty;

    /// <summary>GB/T 2260 division code of the address (6 or 9 digits), or empty.</summary>
    public string DivisionCode { get; init; } = string.Empty;

    /// <summary>The national identity number (resident ID, or a foreign national ID), normalised.</summary>
    public string NationalId { get; init; } = string.Empty;

    /// <summary>True only for a resident ID that passed every check: the cannot-link rules rely on it.</summary>
    public bool NationalIdValid { get; init; }

    /// <summary>Other identifiers as "system|value" (MRNs, passports, insurance numbers), compared within their system.</summary>
    public IReadOnlyList<string> OtherIds { get; init; } = [];
}
