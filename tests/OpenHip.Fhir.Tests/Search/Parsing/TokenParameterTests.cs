using OpenHip.Fhir.Search.Expressions;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class TokenParameterTests
{
    [Fact]
    public void Parse_CodeOnly_HasAnySystem()
    {
        AssertTree(new TokenExpression("gender", null, "female"), Filter("Patient", "gender=female"));
    }

    [Fact]
    public void Parse_SystemAndCode_ProducesTokenExpression()
    {
        AssertTree(new TokenExpression("code", "http://loinc.org", "8480-6"), Filter("Observation", "code=http://loinc.org|8480-6"));
    }

    [Fact]
    public void Parse_BarThenCode_MeansNoSystem()
    {
        AssertTree(new TokenExpression("identifier", "", "local-1"), Filter("Patient", "identifier=|local-1"));
    }

    [Fact]
    public void Parse_SystemThenBar_MeansAnyCode()
    {
        AssertTree(new TokenExpression("identifier", "http://openhip.org/sid/cn-resident-id", null), Filter("Patient", "identifier=http://openhip.org/sid/cn-resident-id|"));
    }

    [Fact]
    public void Parse_EscapedBarInCode_IsPartOfTheCode()
    {
        AssertTree(new TokenExpression("identifier", "urn:x", "a|b"), Filter("Patient", @"identifier=urn:x|a\|b"));
    }

    [Fact]
    public void Parse_BarAlone_Is400()
    {
        Assert.Contains("needs a code", Fails("Patient", "identifier=|").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Not_NegatesTheWholeList()
    {
        AssertTree(
            new NotExpression(new OrExpression([new TokenExpression("status", null, "final"), new TokenExpression("status", null, "amended")])),
            Filter("Observation", "status:not=final,amended"));
    }

    [Fact]
    public void Parse_Text_IsNormalizedTokenText()
    {
        AssertTree(new TokenTextExpression("code", "blood pressure"), Filter("Observation", "code:text=Blood Pressure"));
    }

    [Fact]
    public void Parse_OfType_TargetsTheOfTypeIndexEntries()
    {
        AssertTree(
            new TokenExpression("identifier:of-type", "http://terminology.hl7.org/CodeSystem/v2-0203", "NI|11010519491231002X"),
            Filter("Patient", "identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|NI|11010519491231002X"));
    }

    [Fact]
    public void Parse_OfTypeWithTwoParts_Is400()
    {
        Assert.Contains("typeSystem|typeCode|value", Fails("Patient", "identifier:of-type=NI|123").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OfTypeOnANonIdentifierToken_Is400()
    {
        Assert.Contains("identifier parameters only", Fails("Patient", "gender:of-type=a|b|c").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("above")]
    [InlineData("below")]
    [InlineData("in")]
    [InlineData("not-in")]
    public void Parse_TerminologyModifier_Is400NotSupportedEvenWhenLenient(string modifier)
    {
        var error = Fails("Observation", $"code:{modifier}=http://loinc.org|8480-6");

        Assert.Contains("terminology service", error.Message, StringComparison.Ordinal);
        Assert.Equal(Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, error.Issues[0].Code);
    }

    [Fact]
    public void Parse_Boolean_IsToken()
    {
        AssertTree(new TokenExpression("active", null, "true"), Filter("Patient", "active=true"));
    }

    [Fact]
    public void Parse_Tag_IsAnOrdinaryToken()
    {
        AssertTree(new TokenExpression("_tag", "http://openhip.org/tags", "demo"), Filter("Patient", "_tag=http://openhip.org/tags|demo"));
        AssertTree(new TokenExpression("_security", null, "R"), Filter("Observation", "_security=R"));
    }

    [Fact]
    public void Parse_Missing_IsMissingOfTokenKind()
    {
        AssertTree(new MissingExpression("code", IndexKind.Token, true), Filter("Observation", "code:missing=true"));
    }

    [Fact]
    public void Parse_ExactOnToken_Is400()
    {
        Assert.Contains("not valid on the token parameter 'gender'", Fails("Patient", "gender:exact=female").Message, StringComparison.Ordinal);
    }
}
