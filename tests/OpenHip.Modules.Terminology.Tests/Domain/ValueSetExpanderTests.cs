using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Modules.Terminology.Domain;
using Xunit;
using static OpenHip.Modules.Terminology.Tests.Domain.CodeSystemCompilerTests;

namespace OpenHip.Modules.Terminology.Tests.Domain;

public sealed class ValueSetExpanderTests
{
    private const string Cs = "http://openhip.test/cs";

    private static readonly InMemorySource Source = new InMemorySource().With(Hierarchy());

    [Theory]
    [InlineData(FilterOperator.IsA, "concept", "b", "b,c,d")]
    [InlineData(FilterOperator.DescendentOf, "concept", "b", "c,d")]
    [InlineData(FilterOperator.IsNotA, "concept", "b", "a,e")]
    [InlineData(FilterOperator.Generalizes, "concept", "c", "a,b,c")]
    [InlineData(FilterOperator.Regex, "code", "[a-c]", "a,b,c")]
    [InlineData(FilterOperator.Equal, "colour", "red", "a,d")]
    [InlineData(FilterOperator.In, "concept", "a, e ,zz", "a,e")]
    [InlineData(FilterOperator.NotIn, "colour", "red", "b,c,e")]
    [InlineData(FilterOperator.Exists, "colour", "false", "b,c,e")]
    [InlineData(FilterOperator.Equal, "display", "e display", "e")]
    [InlineData(FilterOperator.IsA, "concept", "unknown", "")]
    public void Expand_Filter_SelectsTheConcepts(FilterOperator op, string property, string value, string expected)
    {
        ValueSet valueSet = ValueSet(Include(f: new ValueSet.FilterComponent { Property = property, Op = op, Value = value }));

        Expansion expansion = new ValueSetExpander(Source, 1000).Expand(valueSet);

        Assert.Equal(expected, string.Join(',', expansion.Entries.Select(e => e.Code)));
    }

    [Fact]
    public void Expand_ConceptListExcludeAndInactive_ComposeRulesApply()
    {
        ValueSet valueSet = ValueSet(Include(concepts: ["a", "b", "e", "nope"]));
        valueSet.Compose!.Exclude.Add(Include(concepts: ["b"]));

        Assert.Equal(["a", "e"], new ValueSetExpander(Source, 1000).Expand(valueSet).Entries.Select(e => e.Code));

        valueSet.Compose.Inactive = false;
        Assert.Equal(["a"], new ValueSetExpander(Source, 1000).Expand(valueSet).Entries.Select(e => e.Code));
    }

    [Fact]
    public void Expand_ValueSetIncludes_IntersectWithEachOtherAndWithTheSystemPart()
    {
        var source = new InMemorySource().With(Hierarchy())
            .With(ValueSet(Include(f: new ValueSet.FilterComponent { Property = "concept", Op = FilterOperator.IsA, Value = "b" }), "http://openhip.test/vs/b"))
            .With(ValueSet(Include(concepts: ["a", "c", "d"]), "http://openhip.test/vs/acd"));
        ValueSet both = ValueSet(new ValueSet.ConceptSetComponent { ValueSet = ["http://openhip.test/vs/b", "http://openhip.test/vs/acd"] });
        ValueSet withSystem = ValueSet(Include(concepts: ["c"]));
        withSystem.Compose!.Include[0].ValueSet = ["http://openhip.test/vs/b"];

        Assert.Equal(["c", "d"], new ValueSetExpander(source, 1000).Expand(both).Entries.Select(e => e.Code));
        Assert.Equal(["c"], new ValueSetExpander(source, 1000).Expand(withSystem).Entries.Select(e => e.Code));
    }

    [Fact]
    public void Expand_IncludesItself_Refused422()
    {
        var self = ValueSet(new ValueSet.ConceptSetComponent { ValueSet = ["http://openhip.test/vs/self"] }, "http://openhip.test/vs/self");
        var source = new InMemorySource().With(self);

        Assert.Equal(FhirErrorKind.Unprocessable, Assert.Throws<FhirException>(() => new ValueSetExpander(source, 1000).Expand(self)).Kind);
    }

    [Fact]
    public void Expand_UnknownSystemOrValueSet_404()
    {
        ValueSet unknownSystem = ValueSet(new ValueSet.ConceptSetComponent { System = "http://openhip.test/none" });
        ValueSet unknownValueSet = ValueSet(new ValueSet.ConceptSetComponent { ValueSet = ["http://openhip.test/vs/none"] });

        Assert.Equal(FhirErrorKind.NotFound, Assert.Throws<FhirException>(() => new ValueSetExpander(Source, 1000).Expand(unknownSystem)).Kind);
        Assert.Equal(FhirErrorKind.NotFound, Assert.Throws<FhirException>(() => new ValueSetExpander(Source, 1000).Expand(unknownValueSet)).Kind);
    }

    [Fact]
    public void Expand_ListedCodesOfASystemNotHeld_TakenAsListed()
    {
        ValueSet valueSet = ValueSet(new ValueSet.ConceptSetComponent
        {
            System = "http://loinc.org",
            Concept = [new ValueSet.ConceptReferenceComponent { Code = "8480-6", Display = "Systolic blood pressure" }],
        });

        ExpansionEntry entry = Assert.Single(new ValueSetExpander(Source, 1000).Expand(valueSet).Entries);
        Assert.Equal(("http://loinc.org", "8480-6", "Systolic blood pressure"), (entry.System, entry.Code, entry.Display));
    }

    [Fact]
    public void Expand_PastTheMaximum_RefusedAsTooCostly()
    {
        FhirException refused = Assert.Throws<FhirException>(() => new ValueSetExpander(Source, 3).Expand(ValueSet(Include())));

        Assert.Equal(FhirErrorKind.TooLarge, refused.Kind);
        Assert.Equal(OperationOutcome.IssueType.TooCostly, refused.Issues[0].Code);
    }

    [Fact]
    public void Expand_GrammarSystemWhole_MembersBySyntaxNotListed()
    {
        Expansion expansion = new ValueSetExpander(Source, 1000).Expand(ValueSet(new ValueSet.ConceptSetComponent { System = GrammarSystems.MimeTypes }));

        Assert.Empty(expansion.Entries);
        Assert.True(expansion.Contains(GrammarSystems.MimeTypes, "text/plain; charset=utf-8"));
        Assert.True(expansion.ContainsCode("application/fhir+json"));
        Assert.False(expansion.ContainsCode("text"));
    }

    [Fact]
    public void Expand_StoredExpansionWithoutCompose_ItsContainsFlattened()
    {
        var valueSet = new ValueSet
        {
            Url = "http://openhip.test/vs/expanded",
            Expansion = new ValueSet.ExpansionComponent
            {
                Contains = [new ValueSet.ContainsComponent { System = Cs, Code = "x", Contains = [new ValueSet.ContainsComponent { System = Cs, Code = "y" }] }],
            },
        };

        Assert.Equal(["x", "y"], new ValueSetExpander(Source, 1000).Expand(valueSet).Entries.Select(e => e.Code));
    }

    // a > b > c, b > d (red), a red, e on its own and retired.
    private static CodeSystem Hierarchy()
    {
        CodeSystem.ConceptDefinitionComponent a = Concept("a", null, Concept("b", null, Concept("c", null), Concept("d", null)));
        a.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "colour", Value = new Code("red") });
        a.Concept[0].Concept[1].Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "colour", Value = new Code("red") });
        CodeSystem.ConceptDefinitionComponent e = Concept("e", null);
        e.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "status", Value = new Code("retired") });
        return CodeSystemCompilerTests.System(a, e);
    }

    private static ValueSet.ConceptSetComponent Include(ValueSet.FilterComponent? f = null, string[]? concepts = null)
    {
        var include = new ValueSet.ConceptSetComponent { System = Cs };
        if (f is not null)
        {
            include.Filter.Add(f);
        }

        include.Concept.AddRange((concepts ?? []).Select(c => new ValueSet.ConceptReferenceComponent { Code = c }));
        return include;
    }

    private static ValueSet ValueSet(ValueSet.ConceptSetComponent include, string url = "http://openhip.test/vs") => new()
    {
        Url = url,
        Status = PublicationStatus.Active,
        Compose = new ValueSet.ComposeComponent { Include = [include] },
    };
}
