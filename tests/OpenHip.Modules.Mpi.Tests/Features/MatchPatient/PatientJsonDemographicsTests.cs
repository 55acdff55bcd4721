using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using OpenHip.Modules.Synthetic;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Features.MatchPatient;

/// <summary>The JSON shortcut of the index reads exactly what the parsed Patient gives (its only reason to exist is speed).</summary>
public sealed class PatientJsonDemographicsTests
{
    [Fact]
    public void From_SyntheticRegionPatients_EqualsParsedPatient()
    {
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = 300, Seed = 7 });
        int compared = 0;
        foreach (Patient patient in generator.GenerateResidents().SelectMany(h => h.Bundle.Entry).Select(e => e.Resource).OfType<Patient>())
        {
            AssertSame(patient);
            compared++;
        }

        Assert.True(compared > 300);
    }

    [Fact]
    public void From_EdgeCases_EqualsParsedPatient()
    {
        var givenWithoutValue = new FhirString { Extension = [new Extension("http://example.org/absent", new Code("x"))] };
        var patient = new Patient
        {
            Id = "p1",
            Name =
            [
                new HumanName { Family = "Wang" },
                new HumanName { Text = "王 明", GivenElement = [new FhirString("明"), givenWithoutValue, new FhirString("二")] },
            ],
            Gender = AdministrativeGender.Other,
            Telecom =
            [
                new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "a@b.cn"),
                new ContactPoint(null, null, "13800138000"),
                new ContactPoint(ContactPoint.ContactPointSystem.Sms, null, "13900139000"),
                new ContactPoint { System = ContactPoint.ContactPointSystem.Phone, Rank = 1 },
            ],
            Address =
            [
                new Address
                {
                    Line = ["1 Road", "Flat 2"], District = "D", City = "C", State = "S", PostalCode = "100000",
                    Extension =
                    [
                        new Extension("http://example.org/other", new Code("1")),
                        new Extension(PatientDemographics.DivisionCodeExtension, new Code("110101")),
                        new Extension(PatientDemographics.DivisionCodeExtension, new Code("120101")),
                    ],
                },
                new Address { City = "Only city", Extension = [new Extension(PatientDemographics.DivisionCodeExtension, new FhirString("110101"))] },
            ],
            Identifier =
            [
                new Identifier("http://openhip.org/sid/cn-resident-id", "11010119900307001X"),
                new Identifier("http://example.org/blank", "   "),
                new Identifier(null, "NOSYS") { Type = new CodeableConcept { Coding = [new Coding(null, "MR"), new Coding("http://x", "PPN")] } },
                new Identifier("http://example.org/typed", "T1") { Type = new CodeableConcept { Text = "no coding" } },
            ],
        };
        AssertSame(patient);
        AssertSame(new Patient());
        AssertSame(new Patient { Gender = AdministrativeGender.Female, BirthDate = "1990-03" });
    }

    [Fact]
    public void From_NotAPatient_IsNull()
    {
        Assert.Null(PatientJsonDemographics.From(FhirCodec.ToJsonBytes(new Person { Id = "x" })));
    }

    [Fact]
    public void From_MalformedJson_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => PatientJsonDemographics.From("{\"resourceType\":"u8.ToArray()));
    }

    private static void AssertSame(Patient patient)
    {
        byte[] json = FhirCodec.ToJsonBytes(patient);
        Demographics expected = PatientDemographics.From((Patient)FhirCodec.ParseStored(json));
        Demographics? actual = PatientJsonDemographics.From(json);
        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
    }
}
