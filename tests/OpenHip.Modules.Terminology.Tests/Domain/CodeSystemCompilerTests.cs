using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Modules.Terminology.Domain;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Domain;

public sealed class CodeSystemCompilerTests
{
    [Fact]
    public void Compile_NestedAndParentProperty_BuildOneHierarchyWithClosure()
    {
        CompiledCodeSystem system = CodeSystemCompiler.Compile(System(
            Concept("a", null, Concept("b", null, Concept("c", null))),
            Concept("d", "c")));

        Concept a = system.Find("a")!, c = system.Find("c")!, d = system.Find("d")!;
        Assert.True(system.IsProperAncestor(a, d));
        Assert.False(system.IsProperAncestor(d, a));
        Assert.False(system.IsProperAncestor(a, a));
        Assert.Equal(["b", "c", "d"], system.DescendantsOf(a).Select(i => system.Concepts[i].Code));
        Assert.Equal(["a", "b", "c"], system.AncestorsOf(d).Select(i => system.Concepts[i].Code).Order());
        Assert.Equal([c.Index], d.Parents);
    }

    [Fact]
    public void Compile_TwoParents_AncestorsFromBothBranches()
    {
        CompiledCodeSystem twoParents = CodeSystemCompiler.Compile(System(
            Concept("x", null), Concept("y", null), Concept("z", "x", parents: ["y"])));

        Assert.Equal(["x", "y"], twoParents.AncestorsOf(twoParents.Find("z")!).Select(i => twoParents.Concepts[i].Code).Order());
    }

    [Fact]
    public void Compile_CycleThroughParentProperties_Refused422NamingTheCodes()
    {
        FhirException refused = Assert.Throws<FhirException>(() => CodeSystemCompiler.Compile(System(
            Concept("root", null), Concept("a", "c"), Concept("b", "a"), Concept("c", "b"))));

        Assert.Equal(FhirErrorKind.Unprocessable, refused.Kind);
        Assert.Contains("cycle", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", refused.Message, StringComparison.Ordinal);
        Assert.Equal("CodeSystem.concept", refused.Issues[0].Expression);
    }

    [Fact]
    public void Compile_OwnParent_Refused()
    {
        FhirException refused = Assert.Throws<FhirException>(() => CodeSystemCompiler.Compile(System(Concept("a", "a"))));

        Assert.Equal(FhirErrorKind.Unprocessable, refused.Kind);
    }

    [Fact]
    public void Compile_CycleThroughChildProperty_Refused()
    {
        CodeSystem.ConceptDefinitionComponent a = Concept("a", null, Concept("b", null));
        a.Concept[0].Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "child", Value = new Code("a") });

        Assert.Equal(FhirErrorKind.Unprocessable, Assert.Throws<FhirException>(() => CodeSystemCompiler.Compile(System(a))).Kind);
    }

    [Fact]
    public void Compile_DuplicateCodeOrUnknownParent_RefusedWithThePath()
    {
        FhirException twice = Assert.Throws<FhirException>(() => CodeSystemCompiler.Compile(System(Concept("a", null), Concept("a", null))));
        FhirException orphan = Assert.Throws<FhirException>(() => CodeSystemCompiler.Compile(System(Concept("a", "nowhere"))));

        Assert.Equal("CodeSystem.concept[1].code", twice.Issues[0].Expression);
        Assert.Equal("CodeSystem.concept[0].property[0]", orphan.Issues[0].Expression);
    }

    [Fact]
    public void Compile_CaseInsensitiveSystem_FindsCodesWhateverTheirCase()
    {
        CodeSystem resource = System(Concept("Abc", null));
        resource.CaseSensitive = false;

        Assert.Equal("Abc", CodeSystemCompiler.Compile(resource).Find("aBC")?.Code);
        Assert.Null(CodeSystemCompiler.Compile(System(Concept("Abc", null))).Find("abc"));
    }

    [Fact]
    public void Compile_RetiredOrInactiveProperty_MarksTheConceptInactive()
    {
        CodeSystem.ConceptDefinitionComponent retired = Concept("r", null);
        retired.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "status", Value = new Code("retired") });
        CodeSystem.ConceptDefinitionComponent inactive = Concept("i", null);
        inactive.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "inactive", Value = new FhirBoolean(true) });

        CompiledCodeSystem system = CodeSystemCompiler.Compile(System(retired, inactive, Concept("ok", null)));

        Assert.False(system.Find("r")!.Active);
        Assert.False(system.Find("i")!.Active);
        Assert.True(system.Find("ok")!.Active);
    }

    [Fact]
    public void DisplayIn_LanguageTagOrPrimarySubtag_FallsBackToDisplay()
    {
        CodeSystem.ConceptDefinitionComponent concept = Concept("flu", null);
        concept.Designation.Add(new CodeSystem.DesignationComponent { Language = "zh-CN", Value = "流感" });
        Concept compiled = CodeSystemCompiler.Compile(System(concept)).Find("flu")!;

        Assert.Equal("流感", compiled.DisplayIn("zh-CN"));
        Assert.Equal("流感", compiled.DisplayIn("zh"));
        Assert.Equal("flu display", compiled.DisplayIn("fr"));
        Assert.Equal("flu display", compiled.DisplayIn(null));
    }

    internal static CodeSystem System(params CodeSystem.ConceptDefinitionComponent[] concepts) => new()
    {
        Url = "http://openhip.test/cs",
        Version = "1",
        Status = PublicationStatus.Active,
        Content = CodeSystemContentMode.Complete,
        Concept = [.. concepts],
    };

    internal static CodeSystem.ConceptDefinitionComponent Concept(string code, string? parent, params CodeSystem.ConceptDefinitionComponent[] children) =>
        Concept(code, parent, [], children);

    internal static CodeSystem.ConceptDefinitionComponent Concept(string code, string? parent, string[] parents, params CodeSystem.ConceptDefinitionComponent[] children)
    {
        var concept = new CodeSystem.ConceptDefinitionComponent { Code = code, Display = code + " display", Concept = [.. children] };
        foreach (string p in parent is null ? parents : parents.Prepend(parent))
        {
            concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "parent", Value = new Code(p) });
        }

        return concept;
    }
}
