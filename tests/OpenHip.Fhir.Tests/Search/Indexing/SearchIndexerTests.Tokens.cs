using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed partial class SearchIndexerTests
{
    private const string V2 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    private const string ResidentId = "http://openhip.org/sid/cn-resident-id";

    [Fact]
    public void Extract_PatientIdentifiers_ValueAndOfTypeEntries()
    {
        var patient = new Patient
        {
            Identifier =
            [
                new Identifier(ResidentId, "11010519491231002X") { Type = new CodeableConcept(V2, "NI", "National unique individual identifier", "居民身份证") },
                new Identifier(null, "local-1"),
            ],
        };

        IReadOnlyList<IndexEntry> entries = Extract(patient);

        AssertEntries(
            [new TokenIndexEntry("identifier", ResidentId, "11010519491231002X", "居民身份证"), new TokenIndexEntry("identifier", null, "local-1")],
            entries,
            "identifier");
        AssertEntries([new TokenIndexEntry("identifier:of-type", V2, "NI|11010519491231002X")], entries, "identifier" + TokenIndexEntry.OfTypeSuffix);
    }

    [Fact]
    public void Extract_PatientCodesBooleansAndTelecom_OneEntryEach()
    {
        var patient = new Patient
        {
            Gender = AdministrativeGender.Female,
            Active = true,
            Deceased = new FhirDateTime("2020-01-01"),
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "13800138000"), new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "a@example.org")],
        };

        IReadOnlyList<IndexEntry> entries = Extract(patient);

        AssertEntries([new TokenIndexEntry("gender", null, "female")], entries, "gender");
        AssertEntries([new TokenIndexEntry("active", null, "true")], entries, "active");
        AssertEntries([new TokenIndexEntry("deceased", null, "true")], entries, "deceased");
        AssertEntries([new TokenIndexEntry("phone", null, "13800138000")], entries, "phone");
        AssertEntries([new TokenIndexEntry("email", null, "a@example.org")], entries, "email");
        AssertEntries([new TokenIndexEntry("telecom", null, "13800138000"), new TokenIndexEntry("telecom", null, "a@example.org")], entries, "telecom");
    }

    [Fact]
    public void Extract_ObservationCode_EveryCodingWithDisplayOrConceptTextForText()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept
            {
                Coding = [new Coding("http://loinc.org", "8480-6", "Systolic blood pressure"), new Coding("http://snomed.info/sct", "271649006")],
                Text = "Systolic BP",
            },
            Category = [new CodeableConcept { Text = "Vital Signs" }],
        };

        IReadOnlyList<IndexEntry> entries = Extract(observation);

        AssertEntries(
            [
                new TokenIndexEntry("code", "http://loinc.org", "8480-6", "systolic blood pressure"),
                new TokenIndexEntry("code", "http://snomed.info/sct", "271649006", "systolic bp"),
            ],
            entries,
            "code");
        AssertEntries([new TokenIndexEntry("category", null, null, "vital signs")], entries, "category");
        AssertEntries([new TokenIndexEntry("status", null, "final")], entries, "status");
    }

    [Theory]
    [InlineData(null, "false")]
    [InlineData(false, "false")]
    [InlineData(true, "true")]
    public void Extract_DeceasedBoolean_AsFhirPathWouldEvaluateIt(bool? deceased, string expected)
    {
        var patient = new Patient { Deceased = deceased is null ? null : new FhirBoolean(deceased) };

        AssertEntries([new TokenIndexEntry("deceased", null, expected)], Extract(patient), "deceased");
    }

    [Fact]
    public void Extract_ConceptTextNotOnAnyCoding_GetsATextOnlyEntry()
    {
        var condition = new Condition
        {
            Subject = new ResourceReference("Patient/p"),
            Code = new CodeableConcept { Coding = [new Coding("http://snomed.info/sct", "38341003", "Hypertensive disorder")], Text = "高血压" },
        };

        IReadOnlyList<IndexEntry> entries = Extract(condition);

        AssertEntries(
            [new TokenIndexEntry("code", "http://snomed.info/sct", "38341003", "hypertensive disorder"), new TokenIndexEntry("code", null, null, "高血压")],
            entries,
            "code");
    }

    [Fact]
    public void Extract_MetaTagSecurityProfileAndSource_ResourceLevelParameters()
    {
        var patient = new Patient
        {
            Id = "p1",
            Meta = new Meta
            {
                Tag = [new Coding("http://openhip.org/tags", "demo")],
                Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")],
                Profile = ["http://hl7.org/fhir/StructureDefinition/Patient"],
                Source = "http://hospital.example/fhir",
                LastUpdated = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
            },
        };

        IReadOnlyList<IndexEntry> entries = Extract(patient);

        AssertEntries([new TokenIndexEntry("_tag", "http://openhip.org/tags", "demo")], entries, "_tag");
        AssertEntries([new TokenIndexEntry("_security", "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")], entries, "_security");
        AssertEntries([new UriIndexEntry("_profile", "http://hl7.org/fhir/StructureDefinition/Patient")], entries, "_profile");
        AssertEntries([new UriIndexEntry("_source", "http://hospital.example/fhir")], entries, "_source");
        AssertNone(entries, "_id");
        AssertNone(entries, "_lastUpdated");
    }
}
