using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Features.MatchPatient;

/// <summary>The bulk import's JSON path flags a resident ID number as the POCO path does: same warning, same place.</summary>
public sealed class ResidentIdWarningHookTests
{
    private static readonly ResidentIdWarningHook Hook = new(TimeProvider.System);

    [Theory]
    [InlineData("330106198703120170", "male", "check character does not match")]
    [InlineData("33010619870312017X", "female", "sex it encodes differs")]
    [InlineData("33010619870312017X", "male", null)]
    public void OnWritingJson_FlaggedResidentId_SameWarningsAsThePatient(string id, string gender, string? warned)
    {
        var patient = new Patient
        {
            BirthDate = "1987-03-12",
            Gender = gender == "male" ? AdministrativeGender.Male : AdministrativeGender.Female,
            Identifier = [new Identifier("urn:oid:1.2.3", "mrn-1"), new Identifier(null, " "), new Identifier("urn:oid:2.16.840.1.113883.2.23.1.1", id) { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "NI") }],
        };
        using JsonDocument json = JsonDocument.Parse(FhirCodec.ToJsonBytes(patient));

        string[] fromPoco = Warnings(() => Hook.OnWriting(patient));
        string[] fromJson = Warnings(() => Hook.OnWritingJson(json.RootElement, "Patient", []));

        Assert.Equal(fromPoco, fromJson);
        if (warned is null)
        {
            Assert.Empty(fromJson);
        }
        else
        {
            string warning = Assert.Single(fromJson);
            Assert.StartsWith("Patient.identifier[2] ", warning, StringComparison.Ordinal);
            Assert.Contains(warned, warning, StringComparison.Ordinal);
        }
    }

    private static string[] Warnings(Action write)
    {
        WriteWarnings.Begin();
        write();
        return [.. WriteWarnings.Current.Select(i => $"{i.Expression} {i.Diagnostics}")];
    }
}
