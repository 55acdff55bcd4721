using OpenHip.Fhir.Search.Expressions;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class ReferenceParameterTests
{
    [Fact]
    public void Parse_IdOnly_HasAnyTargetType()
    {
        AssertTree(new ReferenceExpression("subject", null, "123", null), Filter("Observation", "subject=123"));
    }

    [Fact]
    public void Parse_TypeAndId_IsLocal()
    {
        AssertTree(new ReferenceExpression("subject", "Patient", "123", null), Filter("Observation", "subject=Patient/123"));
    }

    [Fact]
    public void Parse_VersionedReference_IgnoresTheVersion()
    {
        AssertTree(new ReferenceExpression("subject", "Patient", "123", null), Filter("Observation", "subject=Patient/123/_history/2"));
    }

    [Fact]
    public void Parse_AbsoluteUrl_IsUrl()
    {
        AssertTree(
            new ReferenceExpression("subject", null, null, "http://other.org/fhir/Patient/9"),
            Filter("Observation", "subject=http://other.org/fhir/Patient/9"));
    }

    [Fact]
    public void Parse_Urn_IsUrl()
    {
        AssertTree(
            new ReferenceExpression("subject", null, null, "urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7"),
            Filter("Observation", "subject=urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7"));
    }

    [Fact]
    public void Parse_CanonicalWithVersion_SplitsUrlAndVersion()
    {
        AssertTree(
            new ReferenceExpression("questionnaire", null, null, "http://openhip.org/Questionnaire/intake", "2.0"),
            Filter("QuestionnaireResponse", "questionnaire=http://openhip.org/Questionnaire/intake|2.0"));
    }

    [Fact]
    public void Parse_TypeModifier_SetsTheTargetType()
    {
        AssertTree(new ReferenceExpression("subject", "Patient", "123", null), Filter("Observation", "subject:Patient=123"));
    }

    [Fact]
    public void Parse_TypeModifierOutsideTheTargets_Is400()
    {
        Assert.Contains("cannot refer to Medication", Fails("Observation", "subject:Medication=1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TypeModifierContradictingTheValue_Is400()
    {
        Assert.Contains("names Group", Fails("Observation", "subject:Patient=Group/1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Identifier_IsTokenOnTheReferenceParameter()
    {
        AssertTree(
            new TokenExpression("subject", "http://openhip.org/sid/cn-resident-id", "11010519491231002X"),
            Filter("Observation", "subject:identifier=http://openhip.org/sid/cn-resident-id|11010519491231002X"));
    }

    [Fact]
    public void Parse_Missing_IsMissingOfReferenceKind()
    {
        AssertTree(new MissingExpression("subject", IndexKind.Reference, true), Filter("Observation", "subject:missing=true"));
    }

    [Theory]
    [InlineData("subject=Patient/1/2")]
    [InlineData("subject=Unknown/1")]
    [InlineData("subject=Patient/bad id")]
    public void Parse_MalformedReference_Is400(string query)
    {
        var error = Fails("Observation", query);

        Assert.Contains("subject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AboveOnReference_Is400NotSupported()
    {
        Assert.Contains("not supported", Fails("Observation", "subject:above=Patient/1").Message, StringComparison.Ordinal);
    }
}
