namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>Sex as the matcher compares it; everything that is neither male nor female compares as unknown.</summary>
internal enum AdministrativeSex : byte
{
    Unknown,
    Male,
    Female,
}
