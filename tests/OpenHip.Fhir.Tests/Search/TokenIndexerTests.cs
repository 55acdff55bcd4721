using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class TokenIndexerTests
{
    private readonly TokenIndexer _indexer = new(new SearchParameterRegistry());

    [Fact]
    public void Extract_Patient_IndexesIdentifierGenderActiveAndTelecom()
    {
        var patient = new Patient
        {
            Identifier = [new Identifier("http://openhip.org/sid/cn-resident-id", "11010519491231002X"), new Identifier(null, "local-1")],
            Gender = AdministrativeGender.Female,
            Active = true,
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "13800138000")],
        };

        IReadOnlyList<IndexEntry> entries = _indexer.Extract(patient);

        Assert.Contains(new TokenIndexEntry("identifier", "http://openhip.org/sid/cn-resident-id", "11010519491231002X"), entries);
        Assert.Contains(new TokenIndexEntry("identifier", null, "local-1"), entries);
        Assert.Contains(new TokenIndexEntry("gender", null, "female"), entries);
        Assert.Contains(new TokenIndexEntry("active", null, "true"), entries);
        Assert.Contains(new TokenIndexEntry("phone", null, "13800138000"), entries);
    }

    [Fact]
    public void Extract_Observation_IndexesEveryCodingOfTheCodeAndTheStatus()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "8480-6"), new Coding("http://snomed.info/sct", "271649006")] },
        };

        IReadOnlyList<IndexEntry> entries = _indexer.Extract(observation);

        Assert.Contains(new TokenIndexEntry("code", "http://loinc.org", "8480-6"), entries);
        Assert.Contains(new TokenIndexEntry("code", "http://snomed.info/sct", "271649006"), entries);
        Assert.Contains(new TokenIndexEntry("status", null, "final"), entries);
    }
}
