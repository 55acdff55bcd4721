using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

public sealed class ConceptMapCsvReaderTests
{
    private static readonly TerminologyLoadSettings Settings = new() { Url = "http://hospital.example.cn/fhir/ConceptMap/lab-to-loinc" };

    [Fact]
    public void Read_Fixture_GroupsBySystemsWithEveryTarget()
    {
        ConceptMap map = ConceptMapCsvReader.Read(Fixtures.ConceptMap, Settings);

        Assert.Equal("lab-to-loinc", map.Id);
        Assert.Equal(2, map.Group.Count);
        ConceptMap.GroupComponent loinc = map.Group[0];
        Assert.Equal(("http://hospital.example.cn/lab", "http://loinc.org"), (loinc.Source, loinc.Target));
        Assert.Equal(["GLU", "HGB", "HR", "COV", "MISC"], loinc.Element.Select(e => e.Code));
        ConceptMap.TargetElementComponent glucose = Assert.Single(loinc.Element[0].Target);
        Assert.Equal(("2345-7", ConceptMapEquivalence.Wider), (glucose.Code, glucose.Equivalence));
        Assert.Equal("fasting is not part of the LOINC term", glucose.Comment);
        Assert.Equal("空腹血糖", loinc.Element[0].Display);
        Assert.Equal(ConceptMapEquivalence.Equivalent, loinc.Element[2].Target[0].Equivalence);
        ConceptMap.TargetElementComponent unmatched = Assert.Single(loinc.Element[4].Target);
        Assert.Equal((null, ConceptMapEquivalence.Unmatched), (unmatched.Code, unmatched.Equivalence));
        ConceptMap.SourceElementComponent covid = Assert.Single(map.Group[1].Element);
        Assert.Equal(("COV", "871562009", ConceptMapEquivalence.Inexact), (covid.Code, covid.Target[0].Code, covid.Target[0].Equivalence));
    }

    [Theory]
    [InlineData("source_system,source_code,target_system,target_code,equivalence\ns,a,t,b,same\n", 2, "equivalence 'same'")]
    [InlineData("source_system,source_code,target_system,target_code\ns,a,t,b\ns,c,t,\n", 3, "target_code is empty")]
    [InlineData("source_system,source_code,target_code\ns,a,b\n", 1, "target_system")]
    public void Read_BadInput_NamesFileAndLine(string csv, long line, string problem)
    {
        Fixtures.AssertRefused("map.csv", csv, path => ConceptMapCsvReader.Read(path, Settings), line, problem);
    }
}
