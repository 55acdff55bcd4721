using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Labels;
using OpenHip.Modules.Synthetic;
using OpenHip.Testing;
using Xunit.Abstractions;

namespace OpenHip.Tests.Import;

/// <summary>
/// The bulk import's JSON path against the POCO path every other write takes: for every resource of the shared data
/// (Synthea bundles, the R4 spec examples) and of a synthetic region, the index rows extracted from the JSON equal the
/// POCO extractor's, parameter by parameter, and so do the compartments; the write made from JSON stores the same
/// resource as the POCO write.
/// </summary>
public sealed class JsonIndexEquivalenceTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, 123, TimeSpan.Zero);

    private readonly SearchIndexer _indexer = new(new SearchParameterRegistry(), RegionTimeZone.Of(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
    private readonly CompartmentIndexer _compartments = new(new SearchParameterRegistry());

    [SkippableTheory]
    [InlineData("synthea-r4-smart-on-fhir")]
    [InlineData("synthea-r4-hiv-fhir-data-pipes")]
    [InlineData("r4-spec-examples")]
    public void ExtractFromJson_SharedData_SameRowsAsThePocoExtractor(string folder)
    {
        string path = SharedDataFolder.Require(Path.Combine("fhir", folder));
        Tally tally = new();
        foreach (string file in Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(file));
            AssertSameRows(document.RootElement, Path.GetFileName(file), tally);
            if (document.RootElement.TryGetProperty("entry", out JsonElement entries) && entries.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement entry in entries.EnumerateArray())
                {
                    if (entry.TryGetProperty("resource", out JsonElement resource))
                    {
                        AssertSameRows(resource, $"{Path.GetFileName(file)} entry {i}", tally);
                    }

                    i++;
                }
            }
        }

        Report(folder, tally);
        Assert.True(tally.Resources > 0, $"no resources in {path}");
    }

    [Fact]
    public void ExtractFromJson_SyntheticRegion_SameRowsAsThePocoExtractor()
    {
        Tally tally = new();
        foreach ((string label, byte[] json) in Region(patients: 60))
        {
            using JsonDocument document = JsonDocument.Parse(json);
            AssertSameRows(document.RootElement, label, tally);
        }

        Report("synthetic region", tally);

        // Nothing the generator writes is left to the POCO but Patient.deceased, an expression written out for the POCO
        // only (NativeBranches), for which the import parses each Patient once.
        Assert.Equal(["Patient"], tally.FallbackTypes);
    }

    [Fact]
    public void ForJsonCreate_SyntheticRegion_StoresWhatThePocoWriteStores()
    {
        ResourceWriteFactory writes = Writes();
        var context = new FhirRequestContext("urn:openhip:import");
        int identical = 0;
        int total = 0;
        foreach ((string label, byte[] json) in Region(patients: 20))
        {
            using JsonDocument document = JsonDocument.Parse(json);
            Resource poco = FhirCodec.ParseJson(json);
            string id = poco.Id!;
            ResourceWrite expected = writes.ForUpsert(poco, id, 0, WriteMethod.Create, context);
            ResourceWrite actual = writes.ForJsonCreate(document.RootElement, poco.TypeName, id, context)
                ?? (poco is Patient ? expected : throw new InvalidOperationException($"{label}: no JSON path"));

            Assert.Equal((expected.Type, expected.Id, expected.VersionId, expected.LastUpdated, expected.Source), (actual.Type, actual.Id, actual.VersionId, actual.LastUpdated, actual.Source));
            Assert.Equal(expected.Compartments, actual.Compartments);
            Assert.Equal(Describe(expected.Index), Describe(actual.Index));
            Assert.True(FhirCodec.ParseStored(actual.Json.Span).IsExactly(FhirCodec.ParseStored(expected.Json.Span)), $"{label}: stored resource differs");
            identical += expected.Json.Span.SequenceEqual(actual.Json.Span) ? 1 : 0;
            total++;
        }

        output.WriteLine($"{identical} of {total} stored byte for byte as the POCO write stores them");

        // The generator's JSON is Firely's, so the JSON write re-creates Firely's bytes exactly.
        Assert.Equal(total, identical);
    }

    private static IEnumerable<(string Label, byte[] Json)> Region(int patients)
    {
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = patients });
        IEnumerable<Bundle> bundles = generator.GenerateResidents().Select(h => h.Bundle).Prepend(generator.CreateSharedBundle());
        foreach (Bundle bundle in bundles)
        {
            foreach (Bundle.EntryComponent entry in bundle.Entry)
            {
                Resource resource = entry.Resource!;
                resource.Id ??= entry.FullUrl?.Split(':')[^1];
                yield return ($"{resource.TypeName}/{resource.Id}", FhirCodec.ToJsonBytes(resource));
            }
        }
    }

    // With the security labels every write gets (the one hook that changes every resource), so both paths apply them.
    private ResourceWriteFactory Writes() =>
        new(_indexer, _compartments, [new LabelWriteHook(new LabelClassifier(new LabelOptions()))], new FixedClock(),
            Microsoft.Extensions.Options.Options.Create(new FhirEngineOptions()));

    private void AssertSameRows(JsonElement json, string label, Tally tally)
    {
        if (!json.TryGetProperty("resourceType", out JsonElement type) || type.GetString() is not { } typeName)
        {
            return;
        }

        Resource poco;
        try
        {
            poco = FhirCodec.ParseJson(System.Text.Encoding.UTF8.GetBytes(json.GetRawText()));
        }
        catch (FhirException)
        {
            // The import's strict path would refuse it too; there is no POCO extraction to compare with.
            tally.Unparsable++;
            return;
        }

        bool fellBack = false;
        IReadOnlyList<IndexEntry> actual = _indexer.Extract(json, typeName, () =>
        {
            fellBack = true;
            return poco;
        });
        IReadOnlyList<IndexEntry> expected = _indexer.Extract(poco);
        foreach (IGrouping<string, IndexEntry> parameter in expected.Concat(actual).GroupBy(e => e.Parameter))
        {
            string[] want = Describe(expected.Where(e => e.Parameter == parameter.Key));
            string[] got = Describe(actual.Where(e => e.Parameter == parameter.Key));
            Assert.True(want.SequenceEqual(got), $"{label} {parameter.Key}:\nPOCO:\n  {string.Join("\n  ", want)}\nJSON:\n  {string.Join("\n  ", got)}");
        }

        if (poco.Id is { } id)
        {
            Assert.Equal(_compartments.PatientsOf(poco), _compartments.PatientsOf(json, typeName, id, () => poco));
        }

        tally.Resources++;
        tally.Rows += expected.Count;
        tally.Fallbacks += fellBack ? 1 : 0;
        if (fellBack)
        {
            tally.FallbackTypes.Add(typeName);
        }
    }

    private void Report(string what, Tally tally) =>
        output.WriteLine($"{what}: {tally.Resources} resources, {tally.Rows} rows equal; {tally.Fallbacks} needed the POCO for some parameter; {tally.Unparsable} not strictly parsable");

    /// <summary>Every value spelt out (dates to the tick, decimals with their scale, composites' components), sorted.</summary>
    private static string[] Describe(IEnumerable<IndexEntry> entries) => [.. entries.Select(Describe).Order(StringComparer.Ordinal)];

    private static string Describe(IndexEntry entry) => entry switch
    {
        DateIndexEntry d => $"{d.Parameter} date {d.Low.ToString("O", CultureInfo.InvariantCulture)} {d.High.ToString("O", CultureInfo.InvariantCulture)}",
        CompositeIndexEntry c => $"{c.Parameter} ({string.Join(", ", c.Components.Select(Describe))})",
        _ => entry.ToString(),
    };

    private sealed class Tally
    {
        public int Resources { get; set; }

        public int Rows { get; set; }

        public int Fallbacks { get; set; }

        public int Unparsable { get; set; }

        public SortedSet<string> FallbackTypes { get; } = new(StringComparer.Ordinal);
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
