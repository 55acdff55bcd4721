using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Features.CaseDetection;

namespace OpenHip.Modules.Surveillance.Tests.CaseDefinitions;

public sealed class EvidenceMatcherTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Recorded = new(2026, 5, 9, 20, 0, 0, TimeSpan.Zero);
    private static readonly EvidenceMatcher Defaults = new(CaseDefinitionJson.Parse(CaseDefinitionCatalog.ReadDefaults()), _ => []);

    [Theory]
    [InlineData("B08.4", "hfmd")]
    [InlineData("A15.0", "tuberculosis")]
    [InlineData("A09", "infectious-diarrhoea")]
    [InlineData("J11.1", "ili")]
    [InlineData("A20.9", "plague")]
    public void Match_ConditionWithListedCategoryOrSubdivision_IsDiagnosisEvidence(string icd10, string disease)
    {
        CaseEvidence evidence = Assert.Single(Defaults.Match(Condition(icd10, "2026-05-01"), Recorded, Shanghai));
        Assert.Equal(disease, evidence.Definition.Id);
        Assert.Equal(CaseBasis.Diagnosis, evidence.Basis);
        Assert.Equal("p1", evidence.PatientId);
        Assert.Equal(new DateOnly(2026, 5, 1), evidence.Date);
    }

    [Theory]
    [InlineData("I10")]
    [InlineData("J06.9")] // an upper respiratory infection is not ILI by code alone
    [InlineData("A150")] // not a subdivision in dotted ICD-10
    [InlineData("B08")] // the category is wider than HFMD
    public void Match_ConditionOutsideDefinitions_IsNoEvidence(string icd10) =>
        Assert.Empty(Defaults.Match(Condition(icd10, "2026-05-01"), Recorded, Shanghai));

    [Theory]
    [InlineData("refuted")]
    [InlineData("entered-in-error")]
    public void Match_RefutedCondition_IsNoEvidence(string verification)
    {
        Condition condition = Condition("A90", "2026-05-01");
        condition.VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification);
        Assert.Empty(Defaults.Match(condition, Recorded, Shanghai));
    }

    [Fact]
    public void Match_ConditionAboutAGroup_IsNoEvidence()
    {
        Condition condition = Condition("A90", "2026-05-01");
        condition.Subject = new ResourceReference("Group/g1");
        Assert.Empty(Defaults.Match(condition, Recorded, Shanghai));
    }

    [Fact]
    public void Match_OnsetInstant_IsDayInRegionTime()
    {
        // 2026-05-01T20:00Z is already 2 May in Shanghai.
        CaseEvidence evidence = Assert.Single(Defaults.Match(Condition("A90", "2026-05-01T20:00:00Z"), Recorded, Shanghai));
        Assert.Equal(new DateOnly(2026, 5, 2), evidence.Date);
    }

    [Fact]
    public void Match_ConditionWithoutDates_UsesWhenItWasRecordedInRegionTime()
    {
        var condition = new Condition { Subject = new ResourceReference("Patient/p1"), Code = new CodeableConcept(CodeCriterion.Icd10, "A90") };
        Assert.Equal(new DateOnly(2026, 5, 10), Assert.Single(Defaults.Match(condition, Recorded, Shanghai)).Date);
    }

    [Theory]
    [InlineData("10828004", true)]
    [InlineData("260373001", true)]
    [InlineData("260385009", false)]
    public void Match_LabObservation_CountsOnlyPositive(string valueCode, bool expected)
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Subject = new ResourceReference("Patient/p1"),
            Code = new CodeableConcept("http://loinc.org", "94500-6"),
            Effective = new FhirDateTime("2026-05-03"),
            Value = new CodeableConcept("http://snomed.info/sct", valueCode),
        };
        IReadOnlyList<CaseEvidence> found = Defaults.Match(observation, Recorded, Shanghai);
        Assert.Equal(expected, found.Count == 1);
        Assert.All(found, e => Assert.Equal(("covid-19", CaseBasis.Laboratory), (e.Definition.Id, e.Basis)));
    }

    [Fact]
    public void Match_LabWithPositiveInterpretationOrWord_IsEvidence()
    {
        var byInterpretation = new Observation
        {
            Subject = new ResourceReference("Patient/p1"),
            Code = new CodeableConcept("http://loinc.org", "80382-5"),
            Interpretation = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "POS")],
        };
        var byWord = new Observation { Subject = new ResourceReference("Patient/p1"), Code = new CodeableConcept("http://loinc.org", "80382-5"), Value = new FhirString("阳性") };
        Assert.Equal("ili", Assert.Single(Defaults.Match(byInterpretation, Recorded, Shanghai)).Definition.Id);
        Assert.Equal("ili", Assert.Single(Defaults.Match(byWord, Recorded, Shanghai)).Definition.Id);
    }

    [Fact]
    public void Match_EncounterWithSyndromeKeyword_IsSyndromicEvidence()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Subject = new ResourceReference("Patient/p1"),
            ReasonCode = [new CodeableConcept { Text = "发热伴咳嗽，流感样症状" }],
            Period = new Period(new FhirDateTime("2026-01-10T09:00:00+08:00"), null),
        };
        CaseEvidence evidence = Assert.Single(Defaults.Match(encounter, Recorded, Shanghai));
        Assert.Equal(("ili", CaseBasis.Syndromic, new DateOnly(2026, 1, 10)), (evidence.Definition.Id, evidence.Basis, evidence.Date));
        encounter.ReasonCode = [new CodeableConcept { Text = "腰痛" }];
        Assert.Empty(Defaults.Match(encounter, Recorded, Shanghai));
    }

    [Fact]
    public void Match_ValueSetCriterion_UsesTheExpansion()
    {
        const string Json = """
            {"definitions":[{"id":"x","name":"X","source":"test","conditions":[{"valueSet":"http://example.org/vs"}]}]}
            """;
        var matcher = new EvidenceMatcher(CaseDefinitionJson.Parse(Json), url => url == "http://example.org/vs" ? [new CodeToken("http://snomed.info/sct", "38362002")] : []);
        var condition = new Condition { Subject = new ResourceReference("Patient/p1"), Code = new CodeableConcept("http://snomed.info/sct", "38362002") };
        Assert.Single(matcher.Match(condition, Recorded, Shanghai));
        condition.Code = new CodeableConcept("http://snomed.info/sct", "1");
        Assert.Empty(matcher.Match(condition, Recorded, Shanghai));
    }

    private static Condition Condition(string icd10, string onset) => new()
    {
        Subject = new ResourceReference("Patient/p1"),
        Code = new CodeableConcept(CodeCriterion.Icd10, icd10),
        Onset = new FhirDateTime(onset),
    };
}
