using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class ChainingTests
{
    [Fact]
    public void Parse_ChainWithType_TargetsThatType()
    {
        AssertTree(
            new ChainExpression("subject", ["Patient"], new StringExpression("name", StringMatch.StartsWith, "zhang")),
            Filter("Observation", "subject:Patient.name=Zhang"));
    }

    [Fact]
    public void Parse_ChainWithoutType_TargetsEveryTargetDefiningTheParameter()
    {
        var chain = (ChainExpression)Filter("Observation", "subject.birthdate=2000")!;

        Assert.Equal(["Patient"], chain.TargetTypes);
    }

    [Fact]
    public void Parse_ChainWithoutTypeOnSharedName_KeepsEveryCandidate()
    {
        // Observation.subject refers to Device, Group, Location or Patient; only Location and Patient have 'name'.
        var chain = (ChainExpression)Filter("Observation", "subject.name=x")!;

        Assert.Equal(["Location", "Patient"], chain.TargetTypes);
    }

    [Fact]
    public void Parse_TwoLevels_NestsChains()
    {
        AssertTree(
            new ChainExpression(
                "subject",
                ["Patient"],
                new ChainExpression("organization", ["Organization"], new StringExpression("name", StringMatch.StartsWith, "renji"))),
            Filter("Observation", "subject:Patient.organization.name=Renji"));
    }

    [Fact]
    public void Parse_ChainEndingInModifier_AppliesTheModifier()
    {
        AssertTree(
            new ChainExpression("patient", ["Group", "Patient"], new TokenExpression("identifier", "urn:x", "1")),
            Filter("Observation", "patient.identifier=urn:x|1"));
        AssertTree(
            new ChainExpression("subject", ["Patient"], new StringExpression("family", StringMatch.Exact, "Li")),
            Filter("Observation", "subject:Patient.family:exact=Li"));
    }

    [Fact]
    public void Parse_ChainToId_IsIdExpressionOnTheTarget()
    {
        AssertTree(new ChainExpression("subject", ["Patient"], new IdExpression(["1"])), Filter("Observation", "subject:Patient._id=1"));
    }

    [Fact]
    public void Parse_ChainOnNonReference_Is400()
    {
        var error = Fails("Observation", "code.name=x");

        Assert.Contains("only reference parameters can be chained", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ChainToParameterNoTargetHas_Is400EvenWhenLenient()
    {
        Assert.Contains("has a search parameter 'nonsense'", Fails("Observation", "subject.nonsense=x").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ChainWithUnknownParameterOnNamedType_Is400EvenWhenLenient()
    {
        Fails("Observation", "subject:Patient.nonsense=x");
    }

    [Fact]
    public void Parse_ChainFromUnknownParameter_IsIgnoredWhenLenient()
    {
        var parsed = Parse("Observation", "nonsense.name=x");

        Assert.Null(parsed.Query.Filter);
        Assert.Single(parsed.Ignored);
    }

    [Fact]
    public void Parse_ChainDeeperThanTheLimit_Is400()
    {
        var parser = Parser(new FhirEngineOptions { MaxSearchChainDepth = 1 });

        var error = Fails(() => parser.Parse(SearchScope.ForType("Observation"), [new("subject:Patient.organization.name", "x")], SearchHandling.Lenient));

        Assert.Contains("at most 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Has_IsReverseChain()
    {
        AssertTree(
            new ReverseChainExpression("Observation", "patient", new TokenExpression("code", "http://loinc.org", "1234-5")),
            Filter("Patient", "_has:Observation:patient:code=http://loinc.org|1234-5"));
    }

    [Fact]
    public void Parse_NestedHas_NestsReverseChains()
    {
        AssertTree(
            new ReverseChainExpression(
                "Observation",
                "patient",
                new ReverseChainExpression("AuditEvent", "entity", new ReferenceExpression("agent", null, "MyUserId", null))),
            Filter("Patient", "_has:Observation:patient:_has:AuditEvent:entity:agent=MyUserId"));
    }

    [Fact]
    public void Parse_HasWithModifierAndChain_ParsesTheRest()
    {
        AssertTree(
            new ReverseChainExpression("Observation", "subject", new NotExpression(new TokenExpression("status", null, "final"))),
            Filter("Patient", "_has:Observation:subject:status:not=final"));
        AssertTree(
            new ReverseChainExpression(
                "Encounter",
                "patient",
                new ChainExpression("service-provider", ["Organization"], new StringExpression("name", StringMatch.StartsWith, "renji"))),
            Filter("Patient", "_has:Encounter:patient:service-provider.name=Renji"));
    }

    [Theory]
    [InlineData("_has:Observation:patient=x")]
    [InlineData("_has:Nothing:patient:code=x")]
    [InlineData("_has:Observation:code:status=x")]
    [InlineData("_has:Observation:encounter:code=x")]
    [InlineData("_has:Observation:patient:nonsense=x")]
    public void Parse_MalformedHas_Is400EvenWhenLenient(string query)
    {
        Fails("Patient", query);
    }

    [Fact]
    public void Parse_List_IsReverseChainFromListItems()
    {
        AssertTree(new ReverseChainExpression("List", "item", new IdExpression(["42"])), Filter("Patient", "_list=42"));
    }

    [Fact]
    public void Parse_FunctionalList_Is400NotSupported()
    {
        Assert.Contains("functional lists", Fails("Patient", "_list=$current-problems").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Id_IsIdExpression()
    {
        AssertTree(new IdExpression(["a", "b"]), Filter("Patient", "_id=a,b"));
        AssertTree(new NotExpression(new IdExpression(["a"])), Filter("Patient", "_id:not=a"));
    }
}
