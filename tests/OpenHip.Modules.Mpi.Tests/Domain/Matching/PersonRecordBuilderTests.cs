using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class PersonRecordBuilderTests
{
    private static readonly DateOnly Today = new(2026, 6, 30);

    [Fact]
    public void Build_HanNameWithTraditionalCharacters_FoldsAndReadsTheSurnameAsASurname()
    {
        var d = new Demographics
        {
            Id = "p1",
            Names = [new NameParts("單偉", "單", ["偉"]), new NameParts("Shan Wei", "Shan", ["Wei"])],
            BirthDate = "1949-12-31",
            Sex = AdministrativeSex.Female,
            Phones = ["+86 138 1234 5678"],
            Addresses = [new AddressParts(["文三路100号"], "西湖区", "杭州市", "浙江省", "310012", "330106")],
            Identifiers = [new RawIdentifier("urn:oid:2.16.156", "11010519491231002X", IdentifierSystems.V2IdentifierType, "NI"),
                new RawIdentifier(IdentifierSystems.MrnPrefix + "org-1", "A-77")],
        };

        PersonRecord r = PersonRecordBuilder.Build(d, Today);

        Assert.Equal(("单", "伟", "shan", "wei"), (r.HanFamily, r.HanGiven, r.Family, r.Given));
        Assert.Equal("19491231", r.BirthDate);
        Assert.Equal("13812345678", r.Phone);
        Assert.Equal("西湖区", r.Locality);
        Assert.Equal("330106", r.DivisionCode);
        Assert.Equal("11010519491231002X", r.NationalId);
        Assert.True(r.NationalIdValid);
        Assert.Equal([IdentifierSystems.MrnPrefix + "org-1|A-77"], r.OtherIds);
    }

    [Fact]
    public void Build_IdDisagreeingWithRecordedSex_IsKeptButNotValid()
    {
        var d = new Demographics
        {
            Id = "p2",
            BirthDate = "1949-12-31",
            Sex = AdministrativeSex.Male,
            Identifiers = [new RawIdentifier(IdentifierSystems.ResidentId, "11010519491231002X")],
        };

        PersonRecord r = PersonRecordBuilder.Build(d, Today);

        Assert.Equal("11010519491231002X", r.NationalId);
        Assert.False(r.NationalIdValid);
    }

    [Theory]
    [InlineData("欧阳锋", "欧阳", "锋")]
    [InlineData("王芳", "王", "芳")]
    public void Build_HanTextOnly_SplitsCompoundSurnames(string text, string family, string given)
    {
        PersonRecord r = PersonRecordBuilder.Build(new Demographics { Id = "p", Names = [new NameParts(text, null, [])] }, Today);

        Assert.Equal((family, given), (r.HanFamily, r.HanGiven));
    }

    [Fact]
    public void Build_LatinTextOnly_LastWordIsTheFamilyName()
    {
        PersonRecord r = PersonRecordBuilder.Build(new Demographics { Id = "p", Names = [new NameParts("José María García", null, [])] }, Today);

        Assert.Equal(("garcia", "jose maria"), (r.Family, r.Given));
    }
}
