using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

public sealed class ClamlModifierTests
{
    // Shaped like WHO's icd102019en.xml: modifiers and their classes before the classes, a fourth-character modifier
    // on a category, a fifth-character modifier on a block reaching the four-character subcategories, an
    // ExcludeModifier, and an explicitly defined class among the codes a modifier would generate.
    private static readonly string Icd10 = $$"""
        <?xml version="1.0" encoding="UTF-8"?>
        <ClaML version="2.0.0">
          <Title name="ICD-10" version="2019">International Statistical Classification of Diseases</Title>
          <Modifier code="S05F10_4">
            <SubClass code=".0"/><SubClass code=".1"/><SubClass code=".2"/><SubClass code=".9"/>
            <Rubric kind="text"><Label xml:lang="en">The following fourth-character subdivisions are for use with categories F10-F19</Label></Rubric>
          </Modifier>
          {{ModifierClasses("S05F10_4", (".0", "Acute intoxication"), (".1", "Harmful use"), (".2", "Dependence syndrome"), (".9", "Unspecified mental and behavioural disorder"))}}
          <Modifier code="S19_0">
            <SubClass code="0"/><SubClass code="1"/>
            <Rubric kind="text"><Label xml:lang="en">Fracture, closed or open</Label></Rubric>
          </Modifier>
          {{ModifierClasses("S19_0", ("0", "closed"), ("1", "open"))}}
          <Class code="V" kind="chapter">
            <SubClass code="F10-F19"/>
            <Rubric kind="preferred"><Label xml:lang="en">Mental and behavioural disorders</Label></Rubric>
          </Class>
          <Class code="F10-F19" kind="block">
            <SuperClass code="V"/>
            <SubClass code="F10"/><SubClass code="F11"/>
            <Rubric kind="preferred"><Label xml:lang="en">Mental and behavioural disorders due to psychoactive substance use</Label></Rubric>
          </Class>
          <Class code="F10" kind="category">
            <SuperClass code="F10-F19"/>
            <ModifiedBy code="S05F10_4" all="true"/>
            <Rubric kind="preferred"><Label xml:lang="en">Mental and behavioural disorders due to use of alcohol</Label></Rubric>
          </Class>
          <Class code="F11" kind="category">
            <SuperClass code="F10-F19"/>
            <SubClass code="F11.2"/>
            <ModifiedBy code="S05F10_4" all="true"/>
            <Rubric kind="preferred"><Label xml:lang="en">Mental and behavioural disorders due to use of opioids</Label></Rubric>
          </Class>
          <Class code="F11.2" kind="category">
            <SuperClass code="F11"/>
            <Rubric kind="preferred"><Label xml:lang="en">Opioid dependence syndrome</Label></Rubric>
          </Class>
          <Class code="XIX" kind="chapter">
            <SubClass code="S00-S09"/>
            <Rubric kind="preferred"><Label xml:lang="en">Injury, poisoning and certain other consequences of external causes</Label></Rubric>
          </Class>
          <Class code="S00-S09" kind="block">
            <SuperClass code="XIX"/>
            <SubClass code="S02"/>
            <Rubric kind="preferred"><Label xml:lang="en">Injuries to the head</Label></Rubric>
          </Class>
          <Class code="S02" kind="category">
            <SuperClass code="S00-S09"/>
            <SubClass code="S02.0"/><SubClass code="S02.1"/><SubClass code="S02.7"/>
            <ModifiedBy code="S19_0" all="true"/>
            <Rubric kind="preferred"><Label xml:lang="en">Fracture of skull and facial bones</Label></Rubric>
          </Class>
          <Class code="S02.0" kind="category">
            <SuperClass code="S02"/>
            <Rubric kind="preferred"><Label xml:lang="en">Fracture of vault of skull</Label></Rubric>
          </Class>
          <Class code="S02.1" kind="category">
            <SuperClass code="S02"/>
            <Rubric kind="preferred"><Label xml:lang="en">Fracture of base of skull</Label></Rubric>
          </Class>
          <Class code="S02.7" kind="category">
            <SuperClass code="S02"/>
            <ExcludeModifier code="S19_0"/>
            <Rubric kind="preferred"><Label xml:lang="en">Multiple fractures involving skull and facial bones</Label></Rubric>
          </Class>
        </ClaML>
        """;

    // One <ModifierClass> per (code, label), as WHO writes them: a SuperClass naming the modifier, a preferred rubric.
    private static string ModifierClasses(string modifier, params (string Code, string Label)[] classes) =>
        string.Concat(classes.Select(c => $"""
            <ModifierClass modifier="{modifier}" code="{c.Code}">
              <SuperClass code="{modifier}"/>
              <Rubric kind="preferred"><Label xml:lang="en">{c.Label}</Label></Rubric>
            </ModifierClass>

            """));

    private static CodeSystem Read()
    {
        using TemporaryFile file = Fixtures.Temporary("icd10-modifiers.xml", Icd10);
        return ClamlReader.Read(file.Path, new TerminologyLoadSettings());
    }

    private static CodeSystem.ConceptDefinitionComponent Find(CodeSystem cs, string code) =>
        Flatten(cs.Concept).Single(c => c.Code == code);

    private static IEnumerable<CodeSystem.ConceptDefinitionComponent> Flatten(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts) =>
        concepts.SelectMany(c => Flatten(c.Concept).Prepend(c));

    [Fact]
    public void Read_FourthCharacterModifier_GeneratesChildCodesWithDisplays()
    {
        CodeSystem cs = Read();
        CodeSystem.ConceptDefinitionComponent alcohol = Find(cs, "F10");

        Assert.Equal(["F10.0", "F10.1", "F10.2", "F10.9"], alcohol.Concept.Select(c => c.Code));
        CodeSystem.ConceptDefinitionComponent dependence = alcohol.Concept[2];
        Assert.Equal("Mental and behavioural disorders due to use of alcohol: Dependence syndrome", dependence.Display);
        Assert.Equal("category", Assert.IsType<Code>(Assert.Single(dependence.Property).Value).Value);
        Assert.Empty(dependence.Concept);
    }

    [Fact]
    public void Read_ExplicitClassAmongModifiedCodes_KeepsItOnceWithItsOwnDisplay()
    {
        CodeSystem cs = Read();
        CodeSystem.ConceptDefinitionComponent opioids = Find(cs, "F11");

        Assert.Equal(["F11.2", "F11.0", "F11.1", "F11.9"], opioids.Concept.Select(c => c.Code));
        Assert.Equal("Opioid dependence syndrome", opioids.Concept[0].Display);
        Assert.Single(Flatten(cs.Concept), c => c.Code == "F11.2");
    }

    [Fact]
    public void Read_FifthCharacterModifierOnCategory_ReachesItsSubcategoriesNotItself()
    {
        CodeSystem cs = Read();
        CodeSystem.ConceptDefinitionComponent skull = Find(cs, "S02");
        CodeSystem.ConceptDefinitionComponent vault = Find(cs, "S02.0");

        Assert.Equal(["S02.0", "S02.1", "S02.7"], skull.Concept.Select(c => c.Code));
        Assert.Equal(["S02.00", "S02.01"], vault.Concept.Select(c => c.Code));
        Assert.Equal("Fracture of vault of skull: open", vault.Concept[1].Display);
        Assert.Equal(["S02.10", "S02.11"], Find(cs, "S02.1").Concept.Select(c => c.Code));
    }

    [Fact]
    public void Read_ExcludeModifier_StopsTheInheritedModifier()
    {
        CodeSystem cs = Read();

        Assert.Empty(Find(cs, "S02.7").Concept);
        Assert.Equal(4 + 4 + 3 + 3 + 4 + 4, cs.Count);
    }

    [Fact]
    public void Read_FourthAndFifthCharacterModifiers_Combine()
    {
        string xml = Icd10.Replace(
            "<ModifiedBy code=\"S05F10_4\" all=\"true\"/>\n    <Rubric kind=\"preferred\"><Label xml:lang=\"en\">Mental and behavioural disorders due to use of alcohol",
            "<ModifiedBy code=\"S05F10_4\" all=\"true\"/><ModifiedBy code=\"S19_0\" all=\"true\"/>\n    <Rubric kind=\"preferred\"><Label xml:lang=\"en\">Mental and behavioural disorders due to use of alcohol",
            StringComparison.Ordinal);
        Assert.NotEqual(Icd10, xml);

        using TemporaryFile file = Fixtures.Temporary("combined.xml", xml);
        CodeSystem cs = ClamlReader.Read(file.Path, new TerminologyLoadSettings());

        Assert.Equal(["F10.20", "F10.21"], Find(cs, "F10.2").Concept.Select(c => c.Code));
        Assert.Equal("Mental and behavioural disorders due to use of alcohol: Dependence syndrome: open", Find(cs, "F10.21").Display);
    }

    [Fact]
    public void Read_ExcludeOnPrecedingModifier_SkipsThatCombination()
    {
        string xml = Icd10
            .Replace("<ModifiedBy code=\"S05F10_4\" all=\"true\"/>\n    <Rubric kind=\"preferred\"><Label xml:lang=\"en\">Mental and behavioural disorders due to use of alcohol", "<ModifiedBy code=\"S05F10_4\" all=\"true\"/><ModifiedBy code=\"S19_0\" all=\"true\"/>\n    <Rubric kind=\"preferred\"><Label xml:lang=\"en\">Mental and behavioural disorders due to use of alcohol", StringComparison.Ordinal)
            .Replace("<ModifierClass modifier=\"S19_0\" code=\"1\">", "<ModifierClass modifier=\"S19_0\" code=\"1\"><Meta name=\"excludeOnPrecedingModifier\" value=\"S05F10_4 .9\"/>", StringComparison.Ordinal);

        using TemporaryFile file = Fixtures.Temporary("excluded.xml", xml);
        CodeSystem cs = ClamlReader.Read(file.Path, new TerminologyLoadSettings());

        Assert.Equal(["F10.90"], Find(cs, "F10.9").Concept.Select(c => c.Code));
        Assert.Equal(["F10.00", "F10.01"], Find(cs, "F10.0").Concept.Select(c => c.Code));
    }

    [Theory]
    [InlineData("<ModifiedBy code=\"S05F10_4\" all=\"true\"/>", "<ModifiedBy code=\"NOPE\" all=\"true\"/>", "'NOPE', which is not a <Modifier>")]
    [InlineData("<SubClass code=\".9\"/>", "<SubClass code=\".8\"/>", "'.8', which is not a <ModifierClass>")]
    [InlineData("<Label xml:lang=\"en\">closed</Label>", "", "modifier class S19_0 0 has no preferred rubric")]
    public void Read_BrokenModifier_IsRefused(string find, string replace, string problem)
    {
        using TemporaryFile file = Fixtures.Temporary("broken.xml", Icd10.Replace(find, replace, StringComparison.Ordinal));

        TerminologyLoadException ex = Assert.Throws<TerminologyLoadException>(() => ClamlReader.Read(file.Path, new TerminologyLoadSettings()));

        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.NotNull(ex.Line);
    }
}
