using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class SearchParameterRegistryTests
{
    private readonly SearchParameterRegistry _registry = new();

    [Theory]
    [InlineData("_id", SearchParamType.Token)]
    [InlineData("_lastUpdated", SearchParamType.Date)]
    [InlineData("_tag", SearchParamType.Token)]
    [InlineData("_security", SearchParamType.Token)]
    [InlineData("_profile", SearchParamType.Uri)]
    [InlineData("_source", SearchParamType.Uri)]
    public void Find_ResourceLevelParameter_AppliesToEveryType(string code, SearchParamType type)
    {
        Assert.Equal(type, _registry.Find("Patient", code)?.Type);
        Assert.Equal(type, _registry.Find("Bundle", code)?.Type);
        Assert.Contains(_registry.ForType("Observation"), p => p.Code == code);
    }

    [Fact]
    public void FindByUrl_CompositeComponent_ResolvesItsDefinition()
    {
        SearchParameterInfo? component = _registry.FindByUrl("http://hl7.org/fhir/SearchParameter/Observation-value-quantity");

        Assert.Equal(("value-quantity", SearchParamType.Quantity), (component?.Code, component?.Type));
        Assert.Null(_registry.FindByUrl("http://example.org/none"));
    }
}
