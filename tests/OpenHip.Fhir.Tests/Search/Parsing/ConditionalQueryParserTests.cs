using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class ConditionalQueryParserTests
{
    private readonly ConditionalQueryParser _parser = new(new OpenHip.Fhir.Search.Parsing.SearchRequestParser(SearchParsing.Registry, Options.Create(new FhirEngineOptions())));

    [Fact]
    public void Parse_TokensAndId_BecomeTokenClauses()
    {
        TokenQuery query = _parser.Parse("Patient", "?identifier=http://x|1,http://x|2&_id=a&active=true", 2);

        Assert.Equal("Patient", query.Type);
        Assert.Equal(2, query.Limit);
        Assert.Equal(3, query.Clauses.Count);
        Assert.Equal("_id", query.Clauses[0].Parameter);
        Assert.Equal([new TokenValue(null, "a")], query.Clauses[0].AnyOf);
        Assert.Equal("active", query.Clauses[1].Parameter);
        Assert.Equal("identifier", query.Clauses[2].Parameter);
        Assert.Equal([new TokenValue("http://x", "1"), new TokenValue("http://x", "2")], query.Clauses[2].AnyOf);
    }

    [Fact]
    public void Parse_OfType_IsATokenClauseOnTheOfTypeEntries()
    {
        TokenQuery query = _parser.Parse("Patient", "identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|NI|110", 2);

        Assert.Equal("identifier:of-type", Assert.Single(query.Clauses).Parameter);
    }

    [Fact]
    public void Parse_NoCriteria_Is412()
    {
        var error = Assert.Throws<FhirException>(() => _parser.Parse("Patient", "?", 2));

        Assert.Equal(FhirErrorKind.PreconditionFailed, error.Kind);
    }

    [Theory]
    [InlineData("nonsense=1")]
    [InlineData("name")]
    [InlineData("birthdate=20xx")]
    public void Parse_UnknownOrMalformedCriterion_Is400(string query)
    {
        var error = Assert.Throws<FhirException>(() => _parser.Parse("Patient", query, 2));

        Assert.Equal(FhirErrorKind.BadRequest, error.Kind);
    }

    [Theory]
    [InlineData("name=zhang")]
    [InlineData("gender:not=male")]
    [InlineData("organization.name=x")]
    public void Parse_CriterionBeyondTokens_Is400NotSupported(string query)
    {
        var error = Assert.Throws<FhirException>(() => _parser.Parse("Patient", query, 2));

        Assert.Equal(Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, error.Issues[0].Code);
    }
}
