using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Validation;
using Xunit;

namespace OpenHip.Fhir.Tests.Validation;

public sealed class ProfileValidatorTests
{
    internal const string CholesterolProfile = "http://hl7.org/fhir/StructureDefinition/cholesterol";

    private static ProfileValidator Validator => ProfileValidator.Shared;

    [Fact]
    public void Validate_ValidPatientFromStrictParser_HasNoErrors()
    {
        const string json = """
            {"resourceType":"Patient","id":"p1","active":true,"name":[{"family":"Doe","given":["John"]}],
             "gender":"male","birthDate":"1980-01-02"}
            """;
        Resource patient = new FhirResourceParser().ParseJsonOrThrow(Encoding.UTF8.GetBytes(json));

        ProfileValidationResult result = Validator.Validate(patient);

        Assert.True(result.IsValid);
        Assert.DoesNotContain(result.Issues, i => i.Severity is OperationOutcome.IssueSeverity.Error);
    }

    [Fact]
    public void Validate_ValidObservation_HasNoErrors()
    {
        ProfileValidationResult result = Validator.Validate(ValidObservation());

        Assert.True(result.IsValid);
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void Validate_ObservationWithoutStatus_ReportsRequiredStatus()
    {
        Observation observation = ValidObservation();
        observation.Status = null;

        ProfileValidationResult result = Validator.Validate(observation);

        Assert.False(result.IsValid);
        FhirIssue issue = Assert.Single(result.Issues);
        Assert.Equal("Observation.status", issue.Expression);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Contains("'status'", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ObservationWithoutCode_ReportsRequiredCode()
    {
        Observation observation = ValidObservation();
        observation.Code = null!; // the point of the test: a required element left out

        ProfileValidationResult result = Validator.Validate(observation);

        Assert.False(result.IsValid);
        Assert.Equal("Observation.code", Assert.Single(result.Issues).Expression);
    }

    [Fact]
    public void Validate_NestedRequiredMemberMissing_PointsAtTheMember()
    {
        var patient = new Patient { Active = true, Link = [new Patient.LinkComponent { Type = Patient.LinkType.Seealso }] };

        ProfileValidationResult result = Validator.Validate(patient);

        Assert.False(result.IsValid);
        Assert.Equal("Patient.link[0].other", Assert.Single(result.Issues).Expression);
    }

    [Fact]
    public void Validate_MoreRepetitionsThanMetaProfileAllows_ReportsCardinality()
    {
        // The core cholesterol profile narrows Observation.referenceRange from 0..* to 1..1.
        Observation observation = CholesterolObservation();
        observation.ReferenceRange.Add(new Observation.ReferenceRangeComponent { High = new Quantity { Value = 4.5m } });

        ProfileValidationResult result = Validator.Validate(observation);

        Assert.False(result.IsValid);
        FhirIssue issue = Assert.Single(result.Issues);
        Assert.Equal("Observation.referenceRange", issue.Expression);
        Assert.Contains("cardinality of 1..1", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ResourceConformingToMetaProfile_HasNoErrors()
    {
        ProfileValidationResult result = Validator.Validate(CholesterolObservation());

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Issues));
        Assert.DoesNotContain(result.Issues, i => i.Severity is OperationOutcome.IssueSeverity.Error);
    }

    [Fact]
    public void Validate_UnknownMetaProfile_WarnsButStaysValid()
    {
        var patient = new Patient { Active = true, Meta = new Meta { Profile = ["http://example.org/fhir/StructureDefinition/unknown"] } };

        ProfileValidationResult result = Validator.Validate(patient);

        Assert.True(result.IsValid);
        FhirIssue issue = Assert.Single(result.Issues);
        Assert.Equal(OperationOutcome.IssueSeverity.Warning, issue.Severity);
        Assert.Contains("http://example.org/fhir/StructureDefinition/unknown", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FailedInvariant_ReportsItAtTheElement()
    {
        var patient = new Patient { Active = true, Contact = [new Patient.ContactComponent { Gender = AdministrativeGender.Male }] };

        ProfileValidationResult result = Validator.Validate(patient);

        FhirIssue issue = Assert.Single(result.Issues);
        Assert.Equal("Patient.contact[0]", issue.Expression);
        Assert.Equal(OperationOutcome.IssueType.Invariant, issue.Code);
        Assert.Contains("pat-1", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalid_InvalidResource_ThrowsUnprocessableWithIssues()
    {
        Observation observation = ValidObservation();
        observation.Status = null;
        ProfileValidationResult result = Validator.Validate(observation);

        FhirException e = Assert.Throws<FhirException>(result.ThrowIfInvalid);

        Assert.Equal(FhirErrorKind.Unprocessable, e.Kind);
        Assert.Equal("Observation.status", Assert.Single(e.Issues).Expression);
    }

    [Fact]
    public void ToOperationOutcome_ValidResource_HasOneInformationIssue()
    {
        OperationOutcome outcome = Validator.Validate(ValidObservation()).ToOperationOutcome();

        OperationOutcome.IssueComponent issue = Assert.Single(outcome.Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, issue.Severity);
    }

    [Fact]
    public void ToOperationOutcome_InvalidResource_CarriesExpressions()
    {
        Observation observation = ValidObservation();
        observation.Code = null!; // the point of the test: a required element left out

        OperationOutcome outcome = Validator.Validate(observation).ToOperationOutcome();

        Assert.Equal(["Observation.code"], Assert.Single(outcome.Issue).Expression);
    }

    [Fact]
    public void Validate_ManyThreadsOnSharedInstance_GiveTheSameResults()
    {
        Resource[] resources = [.. Enumerable.Range(0, 32).Select(i =>
        {
            Observation observation = ValidObservation();
            observation.Status = i % 2 == 0 ? null : ObservationStatus.Final;
            return (Resource)observation;
        })];

        ProfileValidationResult[] results = new ProfileValidationResult[resources.Length];
        Parallel.For(0, resources.Length, i => results[i] = Validator.Validate(resources[i]));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 != 0, results[i].IsValid);
        }
    }

    private static Observation ValidObservation() => new()
    {
        Id = "o1",
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
        Subject = new ResourceReference("Patient/p1"),
        Value = new Quantity(72m, "/min"),
    };

    // The profile fixes code (display with the zero-width space the published profile has) and referenceRange.high.
    private static Observation CholesterolObservation() => new()
    {
        Meta = new Meta { Profile = [CholesterolProfile] },
        Status = ObservationStatus.Final,
        Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "35200-5", "Cholesterol [Moles/\u200Bvolume] in Serum or Plasma")] },
        Subject = new ResourceReference("Patient/p1"),
        Value = new Quantity(6.3m, "mmol/L"),
        ReferenceRange = [new Observation.ReferenceRangeComponent { High = new Quantity { Value = 4.5m } }],
    };
}
