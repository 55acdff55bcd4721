namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>The fields a pair of records is compared on; each gets its own Fellegi-Sunter levels.</summary>
internal enum ComparedField
{
    NationalId,
    OtherId,
    Family,
    Given,
    BirthDate,
    Sex,
    Phone,
    HouseNumber,
    AddressLine,
    AddressLine2,
    Locality,
    PostalCode,
    Region,
    DivisionCode,
}
