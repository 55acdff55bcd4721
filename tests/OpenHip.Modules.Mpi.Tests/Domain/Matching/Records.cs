using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

/// <summary>Small records for matching tests: a Han-named resident with everything filled in.</summary>
internal static class Records
{
    public static PersonRecord Zhang(string id, string nationalId = "", bool valid = false) => new()
    {
        Id = id,
        Family = "zhang",
        Given = "wei",
        HanFamily = "张",
        HanGiven = "伟",
        BirthDate = "19870312",
        Sex = AdministrativeSex.Male,
        Phone = "13812345678",
        AddressLine = "文三路100号",
        Locality = "西湖区",
        DivisionCode = "330106",
        NationalId = nationalId,
        NationalIdValid = valid,
    };
}
