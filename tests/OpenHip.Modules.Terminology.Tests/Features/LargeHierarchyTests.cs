using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Modules.Terminology.Domain;
using OpenHip.Modules.Terminology.Features.Expand;
using OpenHip.Modules.Terminology.Features.SearchModifiers;
using OpenHip.Modules.Terminology.Features.Subsumes;
using OpenHip.Modules.Terminology.Features.ValidateCode;
using OpenHip.Testing.Terminology;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Features;

/// <summary>A 100,000-concept synthetic hierarchy (ten children per concept, five levels): scale without shortcuts.</summary>
public sealed class LargeHierarchyTests : IClassFixture<LargeHierarchyTests.Loaded>
{
    private const int Size = 100_000;
    private readonly TerminologyHarness _harness;

    public LargeHierarchyTests(Loaded loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        _harness = loaded.Harness;
    }

    [Fact]
    public void Compile_100000Concepts_EveryConceptReachableFromTheRoot()
    {
        CompiledCodeSystem system = _harness.Catalog.Current.FindCodeSystem(SyntheticCodeSystem.Url, null)!;

        Assert.Equal(Size, system.Concepts.Count);
        Assert.Equal(Size - 1, system.DescendantsOf(system.Find("S0")!).Count());
        Assert.Equal(["S0", "S1", "S12", "S123"], system.AncestorsOf(system.Find("S1234")!).Select(i => system.Concepts[i].Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Subsumes_DeepPair_AnsweredFromTheClosure()
    {
        var operation = new SubsumesOperation(_harness.Catalog);

        Parameters answer = await TerminologyHarness.RunAsync<Parameters>(operation, TerminologyHarness.Get("CodeSystem", "synthetic", ("codeA", "S1"), ("codeB", "S12345")));

        Assert.Equal("subsumes", answer.GetSingleValue<Code>("outcome")!.Value);
    }

    [Fact]
    public async Task Expand_WholeSystem_PagedAtTheConfiguredMaximum()
    {
        var operation = new ExpandOperation(_harness.Catalog, TimeProvider.System, _harness.Options);

        ValueSet first = await TerminologyHarness.RunAsync<ValueSet>(operation, TerminologyHarness.Get("ValueSet", "synthetic-all", ("count", "1000000")));
        ValueSet last = await TerminologyHarness.RunAsync<ValueSet>(operation, TerminologyHarness.Get("ValueSet", "synthetic-all", ("offset", "99990"), ("count", "500")));

        Assert.Equal(Size, first.Expansion!.Total);
        Assert.Equal(_harness.Options.Value.MaxExpansionPageSize, first.Expansion.Contains.Count);
        Assert.Equal(10, last.Expansion!.Contains.Count);
        Assert.Equal("S99999", last.Expansion.Contains[^1].Code);
    }

    [Fact]
    public async Task Expand_ChineseTextFilter_First20WithoutTotal_TotalOnlyWithCount0()
    {
        var operation = new ExpandOperation(_harness.Catalog, TimeProvider.System, _harness.Options);

        ValueSet page = await TerminologyHarness.RunAsync<ValueSet>(operation, TerminologyHarness.Get(
            "ValueSet", "synthetic-all", ("filter", "肺感染"), ("count", "20"), ("displayLanguage", "zh")));
        ValueSet totalOnly = await TerminologyHarness.RunAsync<ValueSet>(operation, TerminologyHarness.Get(
            "ValueSet", "synthetic-all", ("filter", "肺感染"), ("count", "0")));
        ValueSet activeOnly = await TerminologyHarness.RunAsync<ValueSet>(operation, TerminologyHarness.Get(
            "ValueSet", "synthetic-all", ("filter", "lung infection"), ("count", "0"), ("activeOnly", "true")));

        // Organ "lung" is i % 8 == 1 and kind "infection" is (i / 8) % 5 == 1: 2,500 of the 100,000, 500 of them retired (every 50th concept).
        Assert.Null(page.Expansion!.Total);
        Assert.Equal(2_500, totalOnly.Expansion!.Total);
        Assert.Empty(totalOnly.Expansion.Contains);
        Assert.Equal(2_000, activeOnly.Expansion!.Total);
        Assert.Equal(20, page.Expansion.Contains.Count);
        Assert.All(page.Expansion.Contains, c => Assert.StartsWith("肺感染", c.Display, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateCode_InactiveAndUnknownCodesAmong100000()
    {
        var operation = new ValidateCodeOperation(_harness.Catalog);

        Parameters retired = await TerminologyHarness.RunAsync<Parameters>(operation, TerminologyHarness.Get("CodeSystem", null, ("url", SyntheticCodeSystem.Url), ("code", "S49"), ("activeOnly", "true")));
        Parameters unknown = await TerminologyHarness.RunAsync<Parameters>(operation, TerminologyHarness.Get("CodeSystem", null, ("url", SyntheticCodeSystem.Url), ("code", "S100000")));

        Assert.False(retired.GetSingleValue<FhirBoolean>("result")!.Value);
        Assert.False(unknown.GetSingleValue<FhirBoolean>("result")!.Value);
    }

    [Fact]
    public void SearchBelow_SubtreeOf11111Codes_ResolvedToTokens()
    {
        var resolver = new TerminologyTokenSetResolver(_harness.Catalog);

        IReadOnlyCollection<CodeToken> tokens = resolver.Resolve(new TokenSetRequest(TokenSetKind.Below, SyntheticCodeSystem.Url, "S1"));

        Assert.Equal(11_111, tokens.Count);
        Assert.Contains(new CodeToken(SyntheticCodeSystem.Url, "S19999"), tokens);
    }

    [Fact]
    public void Expand_PastMaxExpansionSize_TooCostly()
    {
        var small = new TerminologyHarness(new TerminologyOptions { MaxExpansionSize = 50_000 }, SyntheticCodeSystem.Create(Size), SyntheticCodeSystem.All());

        FhirException refused = Assert.Throws<FhirException>(() => small.Catalog.Expand(small.Catalog.Current, SyntheticCodeSystem.All()));

        Assert.Equal(FhirErrorKind.TooLarge, refused.Kind);
    }

    /// <summary>Built once for the class: compiling 100,000 concepts is the expensive part.</summary>
    public sealed class Loaded
    {
        internal TerminologyHarness Harness { get; } = new(new TerminologyOptions { MaxExpansionPageSize = 1_000 }, SyntheticCodeSystem.Create(Size), SyntheticCodeSystem.All());
    }
}
