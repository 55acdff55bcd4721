using Hl7.Fhir.Model;
using OpenHip.Modules.Security.Features.Consent;
using FhirConsent = Hl7.Fhir.Model.Consent;

namespace OpenHip.Modules.Security.Tests.Consent;

public class ConsentReaderTests
{
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    public static FhirConsent OptOut(string patient, params string[] exceptInstitutions) => new()
    {
        Id = "c-" + patient,
        Status = FhirConsent.ConsentState.Active,
        Patient = new ResourceReference("Patient/" + patient),
        Provision = new FhirConsent.provisionComponent
        {
            Type = FhirConsent.ConsentProvisionType.Deny,
            Provision = [.. exceptInstitutions.Select(i => new FhirConsent.provisionComponent
            {
                Type = FhirConsent.ConsentProvisionType.Permit,
                Actor = [new FhirConsent.provisionActorComponent { Reference = new ResourceReference { Identifier = new Identifier(null, i) } }],
            })],
        },
    };

    public static FhirConsent Withhold(string patient, string label) => new()
    {
        Id = "w-" + patient,
        Status = FhirConsent.ConsentState.Active,
        Patient = new ResourceReference("Patient/" + patient),
        Provision = new FhirConsent.provisionComponent
        {
            Type = FhirConsent.ConsentProvisionType.Permit,
            Provision = [new FhirConsent.provisionComponent { Type = FhirConsent.ConsentProvisionType.Deny, SecurityLabel = [new Coding(ActCode, label)] }],
        },
    };

    [Fact]
    public void Read_BasicOptOut_IsOneDenialWithoutLabels()
    {
        ConsentDirective? directive = ConsentReader.Read(OptOut("p1"));

        Assert.NotNull(directive);
        Assert.Equal("p1", directive.PatientId);
        DenyRule rule = Assert.Single(directive.Denials);
        Assert.Empty(rule.Labels);
        Assert.True(rule.AppliesTo("urn:hospital:b", []));
    }

    [Fact]
    public void Read_OptOutWithPermittedInstitution_ExemptsIt()
    {
        DenyRule rule = Assert.Single(ConsentReader.Read(OptOut("p1", "urn:hospital:c"))!.Denials);

        Assert.False(rule.AppliesTo("urn:hospital:c", []));
        Assert.True(rule.AppliesTo("urn:hospital:b", []));
    }

    [Fact]
    public void Read_AdvancedPermitWithNestedLabelDenial_WithholdsThatLabel()
    {
        DenyRule rule = Assert.Single(ConsentReader.Read(Withhold("p1", "PSY"))!.Denials);

        Assert.Equal([ActCode + "|PSY"], rule.Labels);
    }

    [Fact]
    public void Read_DenialForOnePurposeAndPeriod_AppliesOnlyThen()
    {
        FhirConsent consent = OptOut("p1");
        consent.Provision!.Purpose = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH")];
        consent.Provision!.Period = new Period(new FhirDateTime(2026, 1, 1), new FhirDateTime(2026, 12, 31));

        DenyRule rule = Assert.Single(ConsentReader.Read(consent)!.Denials);

        Assert.True(rule.AppliesTo(null, ["HRESCH"]));
        Assert.False(rule.AppliesTo(null, ["TREAT"]));
        Assert.True(rule.IsActiveAt(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(rule.IsActiveAt(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Read_DenialAimedAtOneActor_AppliesOnlyToIt()
    {
        FhirConsent consent = OptOut("p1");
        consent.Provision!.Actor = [new FhirConsent.provisionActorComponent { Reference = new ResourceReference("Organization/b") }];

        DenyRule rule = Assert.Single(ConsentReader.Read(consent)!.Denials);

        Assert.True(rule.AppliesTo("Organization/b", []));
        Assert.False(rule.AppliesTo("Organization/c", []));
        Assert.False(rule.AppliesTo(null, []));
    }

    [Theory]
    [InlineData(FhirConsent.ConsentState.Draft)]
    [InlineData(FhirConsent.ConsentState.Inactive)]
    [InlineData(FhirConsent.ConsentState.Rejected)]
    [InlineData(FhirConsent.ConsentState.EnteredInError)]
    public void Read_NotActive_RestrictsNothing(FhirConsent.ConsentState status)
    {
        FhirConsent consent = OptOut("p1");
        consent.Status = status;

        Assert.Null(ConsentReader.Read(consent));
    }

    [Fact]
    public void Read_PermitWithoutDenials_RestrictsNothing()
    {
        FhirConsent consent = OptOut("p1");
        consent.Provision!.Type = FhirConsent.ConsentProvisionType.Permit;

        Assert.Null(ConsentReader.Read(consent));
    }

    [Fact]
    public void Read_WithoutPatient_RestrictsNothing()
    {
        FhirConsent consent = OptOut("p1");
        consent.Patient = null;

        Assert.Null(ConsentReader.Read(consent));
    }
}
