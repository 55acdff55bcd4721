using System.Text;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Validation;
using OpenHip.Testing;
using Xunit;

namespace OpenHip.Fhir.Tests.Fuzz;

/// <summary>
/// Issue #9's fuzz-style parser tests: thousands of seeded mutations of the R4 spec examples in ../shared/data/fhir go
/// through the JSON and XML parsers; each must give a resource or a typed 4xx failure, never another exception, never a
/// hang. A failure message carries the seed and input number, so it reproduces.
/// </summary>
public sealed class ResourceParserFuzzTests
{
    private const int Seed = 20261126;
    private const int Inputs = 2000;

    private static readonly FhirResourceParser Parser = new();

    [SkippableFact]
    public async Task ParseJson_MutatedSpecExamples_SucceedOrFailWith4xx()
    {
        List<byte[]> seeds = Seeds(xml: false);
        var random = new Random(Seed);
        byte[][] inputs = [.. Enumerable.Range(0, Inputs).Select(_ => ByteMutator.Mutate(seeds[random.Next(seeds.Count)], random, xml: false))];

        await FuzzRunner.RunAsync(inputs.Length, i => AssertTyped(Parse(() => Parser.ParseJson(inputs[i]), i), i), i => Describe(inputs[i]));
    }

    [SkippableFact]
    public async Task ParseXml_MutatedSpecExamples_SucceedOrFailWith4xx()
    {
        List<byte[]> seeds = Seeds(xml: true);
        var random = new Random(Seed + 1);
        byte[][] inputs = [.. Enumerable.Range(0, Inputs).Select(_ => ByteMutator.Mutate(seeds[random.Next(seeds.Count)], random, xml: true))];

        await FuzzRunner.RunAsync(inputs.Length, i => AssertTyped(Parse(() => Parser.ParseXml(Encoding.UTF8.GetString(inputs[i])), i), i), i => Describe(inputs[i]));
    }

    /// <summary>Small examples only, so that thousands of parses fit in seconds; every resource type present still varies.</summary>
    private static List<byte[]> Seeds(bool xml)
    {
        string folder = SharedDataFolder.Require("fhir/r4-spec-examples");
        var seeds = new List<byte[]>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (new FileInfo(file).Length > 8 * 1024)
            {
                continue;
            }

            byte[] json = File.ReadAllBytes(file);
            FhirParseResult parsed = Parser.ParseJson(json);
            if (parsed.Succeeded)
            {
                seeds.Add(xml ? FhirCodec.ToXmlBytes(parsed.Resource!) : json);
            }
        }

        Skip.If(seeds.Count == 0, "no small valid examples in ../shared/data/fhir/r4-spec-examples");
        return seeds;
    }

    /// <summary>A FhirException thrown instead of returned is still typed; anything else is the bug this test looks for.</summary>
    private static FhirErrorKind? Parse(Func<FhirParseResult> parse, int input)
    {
        try
        {
            return parse().ErrorKind;
        }
        catch (FhirException ex)
        {
            return ex.Kind;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"seed {Seed}, input {input}: the parser threw {ex.GetType().Name}", ex);
        }
    }

    private static void AssertTyped(FhirErrorKind? kind, int input)
    {
        if (kind is { } failure)
        {
            int status = FhirErrorStatus.Of(failure);
            Assert.True(status is >= 400 and < 500, $"seed {Seed}, input {input}: {failure} ({status})");
        }
    }

    private static string Describe(byte[] input) => Encoding.UTF8.GetString(input, 0, Math.Min(input.Length, 300));
}
