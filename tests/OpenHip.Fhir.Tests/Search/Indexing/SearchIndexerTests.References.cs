using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed partial class SearchIndexerTests
{
    [Fact]
    public void Extract_ObservationReferences_RelativeAbsoluteIdentifierAndSkipped()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8480-6"),
            Subject = new ResourceReference("Patient/123/_history/2"),
            Encounter = new ResourceReference("urn:uuid:0c6b1f3d-edb2-422b-a0af-a262fb90ed07"),
            Performer =
            [
                new ResourceReference("https://other.example/fhir/Practitioner/d1"),
                new ResourceReference("#contained-1"),
                new ResourceReference { Identifier = new Identifier("http://openhip.org/sid/license", "L-9") },
            ],
        };

        IReadOnlyList<IndexEntry> entries = Extract(observation);

        AssertEntries([new ReferenceIndexEntry("subject", "Patient", "123", null)], entries, "subject");
        AssertEntries([new ReferenceIndexEntry("patient", "Patient", "123", null)], entries, "patient");
        AssertEntries(
            [
                new ReferenceIndexEntry("performer", "Practitioner", "d1", "https://other.example/fhir/Practitioner/d1"),
                new TokenIndexEntry("performer", "http://openhip.org/sid/license", "L-9"),
            ],
            entries,
            "performer");
        AssertNone(entries, "encounter");
    }

    [Fact]
    public void Extract_SubjectThatIsNotAPatient_NotUnderPatient()
    {
        var observation = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "1"), Subject = new ResourceReference("Group/g1") };

        IReadOnlyList<IndexEntry> entries = Extract(observation);

        AssertEntries([new ReferenceIndexEntry("subject", "Group", "g1", null)], entries, "subject");
        AssertNone(entries, "patient");
    }

    [Fact]
    public void Extract_MedicationRequest_ReferencesAndCodes()
    {
        var request = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept("http://www.nlm.nih.gov/research/umls/rxnorm", "834061", "Penicillin V Potassium 250 MG"),
            Subject = new ResourceReference("Patient/p1"),
            Encounter = new ResourceReference("Encounter/e1"),
            Requester = new ResourceReference("http://hospital.example/fhir/Practitioner/d2/_history/7"),
            AuthoredOn = "2020-02-29T08:30:00+08:00",
        };

        IReadOnlyList<IndexEntry> entries = Extract(request);

        AssertEntries([new TokenIndexEntry("code", "http://www.nlm.nih.gov/research/umls/rxnorm", "834061", "penicillin v potassium 250 mg")], entries, "code");
        AssertEntries([new ReferenceIndexEntry("patient", "Patient", "p1", null)], entries, "patient");
        AssertEntries([new ReferenceIndexEntry("subject", "Patient", "p1", null)], entries, "subject");
        AssertEntries([new ReferenceIndexEntry("encounter", "Encounter", "e1", null)], entries, "encounter");
        AssertEntries([new ReferenceIndexEntry("requester", "Practitioner", "d2", "http://hospital.example/fhir/Practitioner/d2")], entries, "requester");
        AssertEntries([new TokenIndexEntry("status", null, "active")], entries, "status");
        AssertEntries([new TokenIndexEntry("intent", null, "order")], entries, "intent");
        AssertEntries([new DateIndexEntry("authoredon", At(2020, 2, 29, 8, 30), At(2020, 2, 29, 8, 30, 0, 999))], entries, "authoredon");
    }

    [Fact]
    public void Extract_Canonical_UrlVersionAndTypeId()
    {
        var response = new QuestionnaireResponse
        {
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Questionnaire = "http://openhip.org/fhir/Questionnaire/phq-9|2.0",
        };

        AssertEntries(
            [new ReferenceIndexEntry("questionnaire", "Questionnaire", "phq-9", "http://openhip.org/fhir/Questionnaire/phq-9", "2.0")],
            Extract(response),
            "questionnaire");
    }

    [Fact]
    public void Extract_BundleComposition_TheFirstEntryByTypeAndId()
    {
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Document,
            Entry = [new Bundle.EntryComponent { Resource = new Composition { Id = "c1" } }, new Bundle.EntryComponent { Resource = new Patient { Id = "p1" } }],
        };

        AssertEntries([new ReferenceIndexEntry("composition", "Composition", "c1", null)], Extract(bundle), "composition");
    }
}
