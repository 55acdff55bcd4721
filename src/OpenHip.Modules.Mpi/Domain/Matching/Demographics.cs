using OpenHip.Modules.Mpi.Domain.Identifiers;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// A patient's identifying data as written, before normalisation: what the FHIR side reads off a Patient
/// (names, birth date, sex, phones, addresses, identifiers), without FHIR types.
/// </summary>
internal sealed record Demographics
{
    public required string Id { get; init; }

    public int Source { get; init; }

    public IReadOnlyList<NameParts> Names { get; init; } = [];

    /// <summary>yyyy-MM-dd (or yyyyMMdd) as written.</summary>
    public string? BirthDate { get; init; }

    public AdministrativeSex Sex { get; init; }

    public IReadOnlyList<string> Phones { get; init; } = [];

    public IReadOnlyList<AddressParts> Addresses { get; init; } = [];

    public IReadOnlyList<RawIdentifier> Identifiers { get; init; } = [];
}

/// <summary>One name: the full text and/or its parts (a Han name usually has all three).</summary>
internal sealed record NameParts(string? Text, string? Family, IReadOnlyList<string> Given);

/// <summary>One address: text parts and the GB/T 2260 division code when known.</summary>
internal sealed record AddressParts(IReadOnlyList<string> Lines, string? District, string? City, string? State, string? PostalCode, string? DivisionCode);
