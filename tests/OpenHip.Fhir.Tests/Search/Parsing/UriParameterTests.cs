using OpenHip.Fhir.Search.Expressions;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class UriParameterTests
{
    [Fact]
    public void Parse_Uri_IsExact()
    {
        AssertTree(new UriExpression("url", UriMatch.Exact, "http://acme.org/fhir/ValueSet/123"), Filter("ValueSet", "url=http://acme.org/fhir/ValueSet/123"));
    }

    [Fact]
    public void Parse_Below_IsPrefix()
    {
        AssertTree(new UriExpression("url", UriMatch.Below, "http://acme.org/fhir/"), Filter("ValueSet", "url:below=http://acme.org/fhir/"));
    }

    [Fact]
    public void Parse_Above_IsOrOfExactAncestors()
    {
        string[] expected =
        [
            "http://acme.org/fhir/ValueSet/123",
            "http://acme.org/fhir/ValueSet/123/",
            "http://acme.org/fhir/ValueSet",
            "http://acme.org/fhir/ValueSet/",
            "http://acme.org/fhir",
            "http://acme.org/fhir/",
            "http://acme.org",
            "http://acme.org/",
        ];

        AssertTree(
            new OrExpression([.. expected.Select(u => new UriExpression("url", UriMatch.Exact, u))]),
            Filter("ValueSet", "url:above=http://acme.org/fhir/ValueSet/123"));
    }

    [Fact]
    public void Parse_AboveOnUrn_IsTheValueItself()
    {
        AssertTree(new UriExpression("url", UriMatch.Exact, "urn:oid:1.2.3"), Filter("ValueSet", "url:above=urn:oid:1.2.3"));
    }

    [Fact]
    public void Parse_ProfileAndSource_AreUris()
    {
        AssertTree(
            new UriExpression("_profile", UriMatch.Exact, "http://openhip.org/fhir/StructureDefinition/cn-patient"),
            Filter("Patient", "_profile=http://openhip.org/fhir/StructureDefinition/cn-patient"));
        AssertTree(new UriExpression("_source", UriMatch.Exact, "urn:openhip:org:1"), Filter("Patient", "_source=urn:openhip:org:1"));
    }

    [Fact]
    public void Parse_NotOnUri_Is400()
    {
        Fails("ValueSet", "url:not=http://x");
    }
}
