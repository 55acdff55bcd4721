using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

public sealed class ClamlReaderTests
{
    [Fact]
    public void Read_Icd10Fixture_NestsChaptersBlocksAndCategories()
    {
        CodeSystem cs = ClamlReader.Read(Fixtures.Icd10, new TerminologyLoadSettings());

        Assert.Equal("http://hl7.org/fhir/sid/icd-10", cs.Url);
        Assert.Equal("icd-10", cs.Id);
        Assert.Equal("2019", cs.Version);
        Assert.StartsWith("International Statistical Classification", cs.Title, StringComparison.Ordinal);
        Assert.Equal(10, cs.Count);
        Assert.Equal(["I", "II"], cs.Concept.Select(c => c.Code));
        CodeSystem.ConceptDefinitionComponent block = Assert.Single(cs.Concept[0].Concept);
        Assert.Equal("A00-A09", block.Code);
        Assert.Equal(["A00", "A01"], block.Concept.Select(c => c.Code));
        Assert.Equal(["A00.0", "A00.1", "A00.9"], block.Concept[0].Concept.Select(c => c.Code));
        Assert.Equal("block", Assert.IsType<Code>(Assert.Single(block.Property).Value).Value);
    }

    [Fact]
    public void Read_Rubrics_BecomeDisplayAndDesignationsByKind()
    {
        CodeSystem cs = ClamlReader.Read(Fixtures.Icd10, new TerminologyLoadSettings());
        CodeSystem.ConceptDefinitionComponent chapter = cs.Concept[0];
        CodeSystem.ConceptDefinitionComponent cholera = chapter.Concept[0].Concept[0].Concept[0];

        Assert.Equal("Certain infectious and parasitic diseases", chapter.Display);
        Assert.Equal(["preferred", "inclusion", "exclusion"], chapter.Designation.Select(d => d.Use!.Code));
        Assert.All(chapter.Designation, d => Assert.Equal(ClamlReader.RubricKindSystem, d.Use!.System));
        Assert.All(chapter.Designation, d => Assert.Equal("en", d.Language));
        Assert.Equal("carrier or suspected carrier of infectious disease (Z22.-)", chapter.Designation[2].Value);
        Assert.Equal("Cholera due to Vibrio cholerae 01, biovar cholerae", cholera.Display);
        Assert.Equal("Classical cholera", Assert.Single(cholera.Designation, d => d.Use!.Code == "inclusion").Value);
        Assert.Equal("Primary malignant neoplasms of the sites named.", cs.Concept[1].Concept[0].Designation.Single(d => d.Use!.Code == "note").Value);
    }

    [Fact]
    public void Read_OtherClassificationWithoutUrl_AsksForIt()
    {
        using TemporaryFile file = Fixtures.Temporary("icf.xml", """
            <ClaML version="2.0.0"><Title name="ICF" version="2001">ICF</Title>
            <Class code="b" kind="chapter"><Rubric kind="preferred"><Label xml:lang="en">Body functions</Label></Rubric></Class></ClaML>
            """);

        TerminologyLoadException ex = Assert.Throws<TerminologyLoadException>(() => ClamlReader.Read(file.Path, new TerminologyLoadSettings()));

        Assert.Contains("--url", ex.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<ClaML><Title name=\"ICD-10\">x</Title>\n<Class code=\"A\" kind=\"chapter\">\n<Rubric kind=\"preferred\"><Label>a</Label></Rubric>\n</ClaML>", 4, "not well-formed")]
    [InlineData("<ClaML>\n<Class code=\"A\" kind=\"chapter\"><Rubric kind=\"note\"><Label>a</Label></Rubric></Class>\n</ClaML>", 2, "no preferred rubric")]
    [InlineData("<ClaML>\n<Class code=\"A\" kind=\"chapter\"><Rubric kind=\"preferred\"><Label>a</Label></Rubric></Class>\n<Class code=\"B\" kind=\"block\"><SuperClass code=\"Z\"/><Rubric kind=\"preferred\"><Label>b</Label></Rubric></Class>\n</ClaML>", 3, "parent 'Z'")]
    [InlineData("<Classification/>", 1, "not <ClaML>")]
    public void Read_BadInput_NamesFileAndLine(string xml, long line, string problem)
    {
        Fixtures.AssertRefused("bad.xml", xml, path => ClamlReader.Read(path, new TerminologyLoadSettings { Url = "http://example.org/x" }), line, problem);
    }
}
