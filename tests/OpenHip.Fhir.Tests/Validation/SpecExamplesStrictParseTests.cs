using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Validation;
using OpenHip.Testing;
using Xunit;

namespace OpenHip.Fhir.Tests.Validation;

public sealed class SpecExamplesStrictParseTests
{
    // The R4 examples the strict parser rightly refuses, with the element each is refused for; the reasons are
    // in docs/spec-examples-rejected.md. Any change to this set is a behaviour change of the parser.
    private static readonly Dictionary<string, string> ExpectedRejections = new(StringComparer.Ordinal)
    {
        ["ActivityDefinition-blood-tubes-supply.json"] = "ActivityDefinition.text.div",
        ["ActivityDefinition-heart-valve-replacement.json"] = "ActivityDefinition.text.div",
        ["CapabilityStatement-example.json"] = "CapabilityStatement.url",
        ["EventDefinition-example.json"] = "EventDefinition.text.div",
        ["Library-zika-virus-intervention-logic.json"] = "Library.dataRequirement[0].codeFilter[0].valueSet",
        ["MessageHeader-1cbdfb97-5859-48a4-8301-d54eab818d68.json"] = "MessageHeader.definition",
        ["Observation-decimal.json"] = "Observation.component[6].value.value",
        ["Questionnaire-qs1.json"] = "Questionnaire.item[0].item[0].linkId",
        ["Questionnaire-zika-virus-exposure-assessment.json"] = "Questionnaire.text.div",
        ["TerminologyCapabilities-example.json"] = "TerminologyCapabilities.url",
    };

    [SkippableFact]
    public void ParseJson_AllR4SpecExamples_RejectsExactlyTheKnownDefectiveOnes()
    {
        string folder = SharedDataFolder.Require("fhir/r4-spec-examples");

        var parser = new FhirResourceParser();
        string[] files = Directory.GetFiles(folder, "*.json");
        var rejected = new Dictionary<string, FhirParseResult>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            FhirParseResult result = parser.ParseJson(File.ReadAllBytes(file));
            if (!result.Succeeded)
            {
                rejected.Add(Path.GetFileName(file), result);
            }
        }

        Assert.True(files.Length > 700, $"Only {files.Length} examples found in {folder}.");
        Assert.Equal(ExpectedRejections.Keys.Order(StringComparer.Ordinal), rejected.Keys.Order(StringComparer.Ordinal));
        foreach ((string file, FhirParseResult result) in rejected)
        {
            Assert.Equal(FhirErrorKind.Unprocessable, result.ErrorKind);
            Assert.Equal(ExpectedRejections[file], result.Issues[0].Expression);
        }
    }
}
