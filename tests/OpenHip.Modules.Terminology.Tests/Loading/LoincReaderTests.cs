using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

public sealed class LoincReaderTests
{
    [Fact]
    public void Read_ReleaseTable_MapsAxesStatusAndNames()
    {
        CodeSystem cs = LoincReader.Read(Fixtures.Loinc, new TerminologyLoadSettings());

        Assert.Equal("http://loinc.org", cs.Url);
        Assert.Equal("loinc", cs.Id);
        Assert.Equal("2.76", cs.Version);
        Assert.Equal(5, cs.Count);
        Assert.Equal(["2345-7", "718-7", "8867-4", "94500-6", "1-8"], cs.Concept.Select(c => c.Code));
        CodeSystem.ConceptDefinitionComponent glucose = cs.Concept[0];
        Assert.Equal("Glucose [Mass/volume] in Serum or Plasma", glucose.Display);
        Assert.Equal("Glucose", Value(glucose, "COMPONENT"));
        Assert.Equal("MCnc", Value(glucose, "PROPERTY"));
        Assert.Equal("Pt", Value(glucose, "TIME_ASPCT"));
        Assert.Equal("Ser/Plas", Value(glucose, "SYSTEM"));
        Assert.Equal("Qn", Value(glucose, "SCALE_TYP"));
        Assert.Null(Value(glucose, "METHOD_TYP"));
        Assert.Equal("CHEM", Value(glucose, "CLASS"));
        Assert.Equal("ACTIVE", Value(glucose, "STATUS"));
        Assert.Equal(["Glucose SerPl-mCnc", "Glucose, Serum or Plasma"], glucose.Designation.Select(d => d.Value));
        Assert.Equal("Probe.amp.tar", Value(cs.Concept[3], "METHOD_TYP"));
        Assert.Contains(cs.Property, p => p.Code == "inactive" && p.Type == CodeSystem.PropertyType.Boolean);
    }

    [Fact]
    public void Read_DeprecatedCode_IsInactive()
    {
        CodeSystem cs = LoincReader.Read(Fixtures.Loinc, new TerminologyLoadSettings());

        CodeSystem.ConceptDefinitionComponent deprecated = cs.Concept.Single(c => c.Code == "1-8");
        Assert.Equal("DEPRECATED", Value(deprecated, "STATUS"));
        Assert.True(Assert.IsType<FhirBoolean>(deprecated.Property.Single(p => p.Code == "inactive").Value).Value);
        Assert.All(cs.Concept.Where(c => c.Code != "1-8"), c => Assert.DoesNotContain(c.Property, p => p.Code == "inactive"));
    }

    [Fact]
    public void Read_DeployerVersion_WinsOverTheTable()
    {
        Assert.Equal("2.78", LoincReader.Read(Fixtures.Loinc, new TerminologyLoadSettings { Version = "2.78" }).Version);
    }

    [Fact]
    public void Read_MissingAxisColumn_NamesTheHeader()
    {
        Fixtures.AssertRefused(
            "Loinc.csv",
            "\"LOINC_NUM\",\"COMPONENT\",\"LONG_COMMON_NAME\",\"STATUS\"\n\"1-8\",\"x\",\"y\",\"ACTIVE\"\n",
            path => LoincReader.Read(path, new TerminologyLoadSettings()),
            1,
            "PROPERTY");
    }

    private static string? Value(CodeSystem.ConceptDefinitionComponent concept, string property) =>
        (concept.Property.SingleOrDefault(p => p.Code == property)?.Value as FhirString)?.Value;
}
