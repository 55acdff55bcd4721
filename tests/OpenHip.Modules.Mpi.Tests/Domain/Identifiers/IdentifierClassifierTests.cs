using OpenHip.Modules.Mpi.Domain.Identifiers;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Identifiers;

public sealed class IdentifierClassifierTests
{
    private static readonly DateOnly Today = new(2026, 6, 30);

    [Fact]
    public void Classify_NiTypeUnderAnInstitutionSystem_IsResidentIdUnderTheCanonicalSystem()
    {
        var raw = new RawIdentifier("urn:oid:1.2.156.112604.1.2.99", "11010519491231002X", IdentifierSystems.V2IdentifierType, "NI");

        ClassifiedIdentifier id = IdentifierClassifier.Classify(raw, Today);

        Assert.Equal(IdentifierKind.ResidentId, id.Kind);
        Assert.Equal(IdentifierSystems.ResidentId, id.System);
        Assert.True(id.IsStrongEvidence);
    }

    [Fact]
    public void Classify_NiTypeWithShortValue_IsNotAResidentId()
    {
        var raw = new RawIdentifier("http://example.org/ids", "A1234567", IdentifierSystems.V2IdentifierType, "NI");

        Assert.Equal(IdentifierKind.Other, IdentifierClassifier.Classify(raw, Today).Kind);
    }

    [Fact]
    public void Classify_ResidentIdWithBadCheckDigit_IsKeptButWeak()
    {
        ClassifiedIdentifier id = IdentifierClassifier.Classify(new RawIdentifier(IdentifierSystems.ResidentId, "110105194912310021"), Today);

        Assert.Equal(IdentifierKind.ResidentId, id.Kind);
        Assert.Equal("110105194912310021", id.Value);
        Assert.False(id.IsStrongEvidence);
        Assert.True(id.ResidentId!.Value.Problems.HasFlag(ResidentIdProblems.BadCheckDigit));
    }

    [Theory]
    [InlineData(IdentifierSystems.PassportPrefix + "CHN", null, "e 1234 5678", nameof(IdentifierKind.Passport), "E12345678")]
    [InlineData("http://example.org/passports", "PPN", "G12345678", nameof(IdentifierKind.Passport), "G12345678")]
    [InlineData(IdentifierSystems.HongKongMacauPermit, null, "h1234567801", nameof(IdentifierKind.HongKongMacauPermit), "H1234567801")]
    [InlineData(IdentifierSystems.TaiwanPermit, null, "12345678", nameof(IdentifierKind.TaiwanPermit), "12345678")]
    [InlineData(IdentifierSystems.MedicalInsurance, null, "M330100000001", nameof(IdentifierKind.MedicalInsurance), "M330100000001")]
    [InlineData(IdentifierSystems.HealthCard, null, "EHC-0001", nameof(IdentifierKind.HealthCard), "EHC0001")]
    [InlineData(IdentifierSystems.MrnPrefix + "org-330106-chc1", null, "mr-77", nameof(IdentifierKind.Mrn), "mr-77")]
    [InlineData("http://hospital.example/mrn", "MR", "000123", nameof(IdentifierKind.Mrn), "000123")]
    public void Classify_OtherKinds_BySystemThenByType(string system, string? type, string value, string kind, string normalised)
    {
        ClassifiedIdentifier id = IdentifierClassifier.Classify(new RawIdentifier(system, value, type is null ? null : IdentifierSystems.V2IdentifierType, type), Today);

        Assert.Equal(Enum.Parse<IdentifierKind>(kind), id.Kind);
        Assert.Equal(normalised, id.Value);
    }
}
