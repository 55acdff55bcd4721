using Hl7.Fhir.Model;
using OpenHip.Modules.Security.Features.Labels;

namespace OpenHip.Modules.Security.Tests.Labels;

public class LabelClassifierTests
{
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private const string Grade = "http://openhip.org/fhir/CodeSystem/data-grade";
    private readonly LabelClassifier _classifier = new(new LabelOptions());

    private static Condition Diagnosis(string code) => new()
    {
        Code = new CodeableConcept("http://hl7.org/fhir/sid/icd-10", code),
        Subject = new ResourceReference("Patient/p1"),
    };

    private static string[] Labels(Resource resource) => [.. resource.Meta!.Security.Select(c => c.System + "|" + c.Code)];

    [Theory]
    [InlineData("F32.1", "PSY")]
    [InlineData("F00", "PSY")]
    [InlineData("F99", "PSY")]
    [InlineData("B20", "HIV")]
    [InlineData("B24", "HIV")]
    [InlineData("Z21", "HIV")]
    [InlineData("A53.9", "SEX")]
    [InlineData("O04", "SEX")]
    public void Apply_SensitiveDiagnosis_LabelsItAndGradesItFive(string code, string label)
    {
        Condition condition = Diagnosis(code);

        _classifier.Apply(condition);

        Assert.Equal([ActCode + "|" + label, Grade + "|5"], Labels(condition));
    }

    [Theory]
    [InlineData("J45")]
    [InlineData("E11.9")]
    [InlineData("B19")]
    [InlineData("G00")]
    public void Apply_OrdinaryDiagnosis_GradeFourOnly(string code)
    {
        Condition condition = Diagnosis(code);

        _classifier.Apply(condition);

        Assert.Equal([Grade + "|4"], Labels(condition));
    }

    [Fact]
    public void Apply_HivLabTest_LabelsTheObservation()
    {
        var observation = new Observation { Code = new CodeableConcept("http://loinc.org", "7917-8"), Status = ObservationStatus.Final };

        _classifier.Apply(observation);

        Assert.Contains(ActCode + "|HIV", Labels(observation));
    }

    [Theory]
    [InlineData("CodeSystem", "1")]
    [InlineData("Organization", "1")]
    [InlineData("Practitioner", "2")]
    [InlineData("Device", "3")]
    [InlineData("Patient", "4")]
    [InlineData("Person", "4")]
    public void Apply_ByType_DefaultGrade(string type, string grade)
    {
        Resource resource = (Resource)Activator.CreateInstance(ModelInfo.GetTypeForFhirType(type)!)!;

        _classifier.Apply(resource);

        Assert.Equal([Grade + "|" + grade], Labels(resource));
    }

    [Fact]
    public void Apply_ClientGradeAndLabels_GradeReplacedClientLabelsKept()
    {
        Condition condition = Diagnosis("J45");
        condition.Meta = new Meta { Security = [new Coding(Grade, "1"), new Coding(ActCode, "PSY")] };

        _classifier.Apply(condition);

        Assert.Equal([ActCode + "|PSY", Grade + "|5"], Labels(condition));
    }

    [Fact]
    public void Apply_ConfiguredGrade_OverridesTheDefault()
    {
        var classifier = new LabelClassifier(new LabelOptions { Grades = new(StringComparer.Ordinal) { ["Device"] = 2 } });
        var device = new Device();

        classifier.Apply(device);

        Assert.Equal([Grade + "|2"], Labels(device));
    }

    [Fact]
    public void Apply_Twice_LabelsOnce()
    {
        Condition condition = Diagnosis("F20");

        _classifier.Apply(condition);
        _classifier.Apply(condition);

        Assert.Equal([ActCode + "|PSY", Grade + "|5"], Labels(condition));
    }
}
