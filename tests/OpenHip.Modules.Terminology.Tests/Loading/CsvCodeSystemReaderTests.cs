using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

public sealed class CsvCodeSystemReaderTests
{
    private static readonly TerminologyLoadSettings Settings = new() { Url = "http://hospital.example.cn/fhir/CodeSystem/lab" };

    [Fact]
    public void Read_Fixture_BuildsTheHierarchyWithDesignationsAndProperties()
    {
        CodeSystem cs = CsvCodeSystemReader.Read(Fixtures.LocalCodes, Settings);

        Assert.Equal("lab", cs.Id);
        Assert.Equal("Lab", cs.Name);
        Assert.Equal(8, cs.Count);
        Assert.Equal(CodeSystem.CodeSystemHierarchyMeaning.IsA, cs.HierarchyMeaning);
        Assert.Equal(["LAB", "URINE"], cs.Concept.Select(c => c.Code));
        CodeSystem.ConceptDefinitionComponent lab = cs.Concept[0];
        Assert.Equal(["HEM", "CHEM"], lab.Concept.Select(c => c.Code));
        Assert.Equal(["HEM-CBC", "HEM-ESR"], lab.Concept[0].Concept.Select(c => c.Code));
        CodeSystem.ConceptDefinitionComponent glucose = lab.Concept[1].Concept[0];
        Assert.Equal("CHEM-GLU", glucose.Code);
        Assert.Equal("Plasma glucose after an\novernight fast", glucose.Definition);
        Assert.Equal("空腹血糖", Assert.Single(glucose.Designation, d => d.Language == "zh").Value);
        Assert.Equal("Fasting glucose", Assert.Single(glucose.Designation, d => d.Language == "en").Value);
        Assert.Equal("plasma", Assert.IsType<FhirString>(Assert.Single(glucose.Property).Value).Value);
        Assert.Equal("specimen", Assert.Single(cs.Property).Code);
        Assert.Equal("Complete blood count, automated", lab.Concept[0].Concept[0].Display);
    }

    [Theory]
    [InlineData("code,display,parent\nA,a,\nB,b,X\n", 3, "parent 'X'")]
    [InlineData("code,display,parent\nA,a,B\nB,b,A\n", 2, "cycle")]
    [InlineData("code,display,parent\nA,a,\nA,again,\n", 3, "appears twice")]
    [InlineData("code,display,parent\nA,a,A\n", 2, "its own parent")]
    [InlineData("code,display\nA,a,extra\n", 2, "3 fields")]
    [InlineData("code,display\n,nameless\n", 2, "code is empty")]
    [InlineData("display,parent\nA,\n", 1, "lacks the column(s) code")]
    public void Read_BadInput_NamesFileAndLine(string csv, long line, string problem)
    {
        Fixtures.AssertRefused("codes.csv", csv, path => CsvCodeSystemReader.Read(path, Settings), line, problem);
    }

    [Fact]
    public void Read_WithoutUrl_AsksForIt()
    {
        TerminologyLoadException ex = Assert.Throws<TerminologyLoadException>(() => CsvCodeSystemReader.Read(Fixtures.LocalCodes, new TerminologyLoadSettings()));

        Assert.Contains("--url", ex.Message, StringComparison.Ordinal);
    }
}
