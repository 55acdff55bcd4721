using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Features.Bindings;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Features.Bindings;

/// <summary>The binding check keeps each bound value set's expansion per catalog snapshot; a change must be seen at once.</summary>
public sealed class BindingCheckerTests
{
    private const string ClinicalSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private const string ClinicalValueSet = "http://hl7.org/fhir/ValueSet/condition-clinical";

    private static readonly IOptions<TerminologyOptions> Options = Microsoft.Extensions.Options.Options.Create(new TerminologyOptions { EnforceRequiredBindings = true });

    [Fact]
    public void Check_ValueSetChangedAfterACheck_TheNextCheckUsesTheNewContent()
    {
        var catalog = new TerminologyCatalog(Options, NullLogger<TerminologyCatalog>.Instance);
        catalog.Apply(TerminologyCatalog.Compile(ClinicalStatuses("active", "recurrence"), 1));
        catalog.Apply(TerminologyCatalog.Compile(Statuses(["active"]), 1));
        var rules = new BindingRules(Options.Value.CheckedStrengths);
        var poco = new BindingChecker(catalog, rules);
        var json = new JsonBindingChecker(poco, rules);
        using JsonDocument document = JsonDocument.Parse("""
            {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},
             "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"recurrence"}]}}
            """);
        var condition = new Condition { Id = "c1", Subject = new ResourceReference("Patient/p1"), ClinicalStatus = new CodeableConcept(ClinicalSystem, "recurrence") };
        Assert.Equal("Condition.clinicalStatus", Assert.Single(json.Check(document.RootElement, "Condition")).Expression);
        Assert.Single(poco.Check(condition));

        catalog.Apply(TerminologyCatalog.Compile(Statuses(["active", "recurrence"]), 2));

        Assert.Empty(json.Check(document.RootElement, "Condition"));
        Assert.Empty(poco.Check(condition));
    }

    private static CodeSystem ClinicalStatuses(params string[] codes) => new()
    {
        Id = "condition-clinical",
        Url = ClinicalSystem,
        Status = PublicationStatus.Active,
        Content = CodeSystemContentMode.Complete,
        Concept = [.. codes.Select(c => new CodeSystem.ConceptDefinitionComponent { Code = c })],
    };

    private static ValueSet Statuses(string[] codes) => new()
    {
        Id = "condition-clinical",
        Url = ClinicalValueSet,
        Status = PublicationStatus.Active,
        Compose = new ValueSet.ComposeComponent
        {
            Include = [new ValueSet.ConceptSetComponent { System = ClinicalSystem, Concept = [.. codes.Select(c => new ValueSet.ConceptReferenceComponent { Code = c })] }],
        },
    };
}
