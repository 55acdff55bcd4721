using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Content;
using OpenHip.Modules.Terminology.Features.Bindings;
using OpenHip.Modules.Terminology.Loading;
using OpenHip.Testing;
using Xunit;
using Xunit.Abstractions;

namespace OpenHip.Modules.Terminology.Tests.Features.Bindings;

/// <summary>
/// The bulk import checks bindings on the JSON it stores; every other write on the POCO. With the R4 core value sets
/// loaded and all three strengths checked, both must find the same issues at the same locations for every resource of
/// the shared data (Synthea bundles and the R4 spec examples), and for codes made wrong on purpose.
/// </summary>
public sealed class JsonBindingCheckerTests(ITestOutputHelper output)
{
    private static readonly Lazy<(BindingChecker Poco, JsonBindingChecker Json)> Checkers = new(() =>
    {
        IOptions<TerminologyOptions> options = Options.Create(
            new TerminologyOptions { EnforceRequiredBindings = true, WarnOnExtensibleBindings = true, WarnOnPreferredBindings = true });
        var catalog = new TerminologyCatalog(options, NullLogger<TerminologyCatalog>.Instance);
        long version = 1;
        foreach (LoadedResource loaded in CoreSpecificationContent.Load())
        {
            try
            {
                catalog.Apply(TerminologyCatalog.Compile(loaded.Resource, version++));
            }
            catch (FhirException)
            {
                // A few core CodeSystems do not compile (a concept without a code); the server's seeder skips them too.
            }
        }

        var rules = new BindingRules(options.Value.CheckedStrengths);
        var poco = new BindingChecker(catalog, rules);
        return (poco, new JsonBindingChecker(poco, rules));
    });

    [SkippableTheory]
    [InlineData("synthea-r4-smart-on-fhir")]
    [InlineData("synthea-r4-hiv-fhir-data-pipes")]
    [InlineData("r4-spec-examples")]
    public void Check_SharedData_SameIssuesAsThePocoChecker(string folder)
    {
        string path = SharedDataFolder.Require(Path.Combine("fhir", folder));
        int resources = 0;
        int issues = 0;
        foreach (string file in Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(file));
            issues += AssertSameIssues(document.RootElement, Path.GetFileName(file), ref resources);
            if (document.RootElement.TryGetProperty("entry", out JsonElement entries) && entries.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement entry in entries.EnumerateArray())
                {
                    if (entry.TryGetProperty("resource", out JsonElement resource))
                    {
                        issues += AssertSameIssues(resource, $"{Path.GetFileName(file)} entry {i}", ref resources);
                    }

                    i++;
                }
            }
        }

        output.WriteLine($"{folder}: {resources} resources, {issues} binding issues, the same on both paths");
        Assert.True(resources > 0, $"no resources in {path}");
        Assert.True(issues > 0, "nothing was found to compare: the checkers may not be checking");
    }

    [Fact]
    public void Check_CodesOutsideTheirValueSets_SameErrorsAndWarningsAtTheSamePaths()
    {
        const string Json = """
            {"resourceType":"Patient","id":"p1",
             "maritalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"nope"}]},
             "communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"en"}]}},{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"xx-bad"}]}}],
             "contained":[{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},
                           "valueCodeableConcept":{"coding":[{"system":"http://example.org","code":"1"}]},
                           "dataAbsentReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"not-a-reason"}]}}],
             "link":[{"other":{"reference":"Patient/p2"},"type":"seealso"}]}
            """;
        using JsonDocument document = JsonDocument.Parse(Json);
        int resources = 0;

        int found = AssertSameIssues(document.RootElement, "crafted Patient", ref resources);

        IReadOnlyList<FhirIssue> issues = Checkers.Value.Json.Check(document.RootElement, "Patient");
        Assert.Contains(issues, i => i.Expression == "Patient.maritalStatus");
        Assert.Contains(issues, i => i.Expression == "Patient.contained[0].dataAbsentReason");
        Assert.True(found >= 2);
    }

    [Fact]
    public void Check_CodeOutsideARequiredValueSet_AnErrorOnBothPaths()
    {
        using JsonDocument document = JsonDocument.Parse("""
            {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},
             "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"bogus"}]}}
            """);
        int resources = 0;

        AssertSameIssues(document.RootElement, "crafted Condition", ref resources);

        FhirIssue error = Assert.Single(Checkers.Value.Json.Check(document.RootElement, "Condition"), i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Equal("Condition.clinicalStatus", error.Expression);
    }

    private static int AssertSameIssues(JsonElement json, string label, ref int resources)
    {
        if (!json.TryGetProperty("resourceType", out JsonElement type) || type.GetString() is not { } typeName)
        {
            return 0;
        }

        Resource poco;
        try
        {
            poco = FhirCodec.ParseJson(Encoding.UTF8.GetBytes(json.GetRawText()));
        }
        catch (FhirException)
        {
            // Refused by the parser: the import's strict path refuses it, and its JSON path checks what it can.
            return 0;
        }

        resources++;
        string[] want = Describe(Checkers.Value.Poco.Check(poco));
        string[] got = Describe(Checkers.Value.Json.Check(json, typeName));
        Assert.True(want.SequenceEqual(got), $"{label}:\nPOCO:\n  {string.Join("\n  ", want)}\nJSON:\n  {string.Join("\n  ", got)}");
        return want.Length;
    }

    private static string[] Describe(IReadOnlyList<FhirIssue> issues) =>
        [.. issues.Select(i => $"{i.Severity} {i.Code} {i.Expression}: {i.Diagnostics}")];
}
