using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Testing;
using Xunit;

namespace OpenHip.Fhir.Tests.Fuzz;

/// <summary>
/// Issue #9's fuzz-style search parser test: thousands of seeded queries, lenient and strict, each parse either
/// succeeds or throws a FhirException with a 4xx status; no other exception, no hang.
/// </summary>
public sealed class SearchParserFuzzTests
{
    private const int Seed = 9_2026;
    private const int Inputs = 5000;

    [Fact]
    public async Task Parse_GeneratedQueries_SucceedOrFailWith4xx()
    {
        var registry = new SearchParameterRegistry();
        var parser = new SearchRequestParser(registry, Options.Create(new FhirEngineOptions()));
        var generator = new SearchQueryGenerator(registry, new Random(Seed));
        (string Type, List<KeyValuePair<string, string>> Query)[] inputs = [.. Enumerable.Range(0, Inputs).Select(_ =>
        {
            string type = generator.Type();
            return (type, generator.Query(type));
        })];

        await FuzzRunner.RunAsync(
            inputs.Length,
            i =>
            {
                SearchHandling handling = i % 2 == 0 ? SearchHandling.Lenient : SearchHandling.Strict;
                try
                {
                    parser.Parse(SearchScope.ForType(inputs[i].Type), inputs[i].Query, handling);
                }
                catch (FhirException ex)
                {
                    int status = FhirErrorStatus.Of(ex.Kind);
                    Assert.True(status is >= 400 and < 500, $"seed {Seed}, input {i}: {ex.Kind} ({status}) {ex.Message}");
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException($"seed {Seed}, input {i} ({Describe(inputs[i])}): the parser threw {ex.GetType().Name}", ex);
                }
            },
            i => Describe(inputs[i]));
    }

    private static string Describe((string Type, List<KeyValuePair<string, string>> Query) input) =>
        input.Type + "?" + string.Join('&', input.Query.Select(p => p.Key + "=" + p.Value));
}
