using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Validation;
using OpenHip.Testing;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed partial class SearchIndexerTests
{
    [SkippableFact]
    public void Extract_EveryR4SpecExample_NeverThrowsAndIndexesMost()
    {
        // The spec examples exercise odd corners of every type (contained, extensions, partial dates, Money, Timing...).
        string folder = SharedDataFolder.Require("fhir/r4-spec-examples");
        var parser = new FhirResourceParser();
        int resources = 0;
        int indexed = 0;
        foreach (string file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (parser.ParseJson(File.ReadAllBytes(file)) is not { Succeeded: true, Resource: { } resource })
            {
                continue;
            }

            IEnumerable<Resource> all = resource is Bundle bundle ? [bundle, .. bundle.Entry.Select(e => e.Resource).OfType<Resource>()] : [resource];
            foreach (Resource item in all)
            {
                IReadOnlyList<IndexEntry> entries = Extract(item);
                resources++;
                indexed += entries.Count > 0 ? 1 : 0;
                Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.Parameter)));
            }
        }

        Assert.True(resources > 1000, $"only {resources} resources");
        Assert.True(indexed > resources * 9 / 10, $"{indexed} of {resources} resources got index entries");
    }
}
