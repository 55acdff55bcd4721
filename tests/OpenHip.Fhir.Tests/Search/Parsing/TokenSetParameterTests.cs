using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Search.Terminology;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Parsing;

/// <summary>With a terminology service registered, :in/:not-in/:below/:above become resolved token sets.</summary>
public sealed class TokenSetParameterTests
{
    private readonly RecordingResolver _resolver = new();

    [Fact]
    public void Parse_In_ValueSetResolvedIntoATokenSet()
    {
        SearchExpression? filter = Filter("code:in=http://example.org/vs|2");

        var set = Assert.IsType<TokenSetExpression>(filter);
        Assert.Equal("code", set.Parameter);
        Assert.Equal(new TokenSetRequest(TokenSetKind.ValueSet, null, "http://example.org/vs|2"), Assert.Single(_resolver.Requests));
        Assert.Equal([new CodeToken("urn:x", "ValueSet:http://example.org/vs|2")], set.Tokens);
    }

    [Fact]
    public void Parse_NotIn_NegatesTheWholeList()
    {
        SearchExpression? filter = Filter("code:not-in=http://example.org/a,http://example.org/b");

        var not = Assert.IsType<NotExpression>(filter);
        Assert.Equal(2, Assert.IsType<OrExpression>(not.Operand).Operands.Count);
    }

    [Theory]
    [InlineData("below", TokenSetKind.Below)]
    [InlineData("above", TokenSetKind.Above)]
    public void Parse_BelowAbove_SystemAndCodeGoToTheResolver(string modifier, TokenSetKind kind)
    {
        Filter($"code:{modifier}=http://loinc.org|8480-6");

        Assert.Equal(new TokenSetRequest(kind, "http://loinc.org", "8480-6"), Assert.Single(_resolver.Requests));
    }

    [Theory]
    [InlineData("code:below=8480-6")]
    [InlineData("code:above=http://loinc.org|")]
    public void Parse_BelowWithoutSystemOrCode_Is400(string query)
    {
        SearchParsing.Fails(() => Parser().Parse(SearchScope.ForType("Observation"), QueryStringEncoding.Parse(query), SearchHandling.Lenient));
        Assert.Empty(_resolver.Requests);
    }

    [Fact]
    public void Parse_InOnAStringParameter_StillInvalid()
    {
        SearchParsing.Fails(() => Parser().Parse(SearchScope.ForType("Patient"), QueryStringEncoding.Parse("name:in=http://example.org/vs"), SearchHandling.Lenient));
    }

    private SearchExpression? Filter(string query) =>
        Parser().Parse(SearchScope.ForType("Observation"), QueryStringEncoding.Parse(query), SearchHandling.Lenient).Query.Filter;

    private SearchRequestParser Parser() => new(SearchParsing.Registry, Options.Create(new FhirEngineOptions()), _resolver);

    private sealed class RecordingResolver : ITokenSetResolver
    {
        public List<TokenSetRequest> Requests { get; } = [];

        public IReadOnlyCollection<CodeToken> Resolve(TokenSetRequest request)
        {
            Requests.Add(request);
            return [new CodeToken("urn:x", $"{request.Kind}:{request.Value}")];
        }
    }
}
