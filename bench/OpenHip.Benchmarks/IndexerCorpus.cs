using System.Diagnostics;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Indexing;

namespace OpenHip.Benchmarks;

/// <summary>
/// `corpus`: the full indexer over every resource of the Synthea Bundles in the shared data (16,220 resources), one
/// Bundle parsed at a time so memory stays flat. Reports extraction time alone (parse excluded), per resource type and
/// overall, after one warm-up pass that compiles every extractor. Wall-clock per call: on a busy machine the figures
/// include time the thread was not running.
/// </summary>
internal static class IndexerCorpus
{
    private static readonly string[] Folders = ["synthea-r4-smart-on-fhir", "synthea-r4-hiv-fhir-data-pipes"];

    /// <summary>With <paramref name="byParameter"/>, times each compiled parameter separately (slower; for finding hot spots).</summary>
    public static void Run(int passes, bool byParameter)
    {
        if (byParameter)
        {
            RunByParameter();
            return;
        }

        SearchIndexer indexer = SearchIndexerBenchmarks.Create();
        string[] files = Files();
        Dictionary<string, (int Count, long Ticks, long Entries)> byType = new(StringComparer.Ordinal);
        for (int pass = 0; pass <= passes; pass++)
        {
            bool warmUp = pass == 0;
            foreach (string file in files)
            {
                var bundle = (Bundle)FhirCodec.ParseJson(File.ReadAllBytes(file));

                // The parse leaves garbage behind; collecting it here keeps its GC out of the extraction times.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                foreach (Resource resource in bundle.Entry.Select(e => e.Resource).OfType<Resource>())
                {
                    long start = Stopwatch.GetTimestamp();
                    int entries = indexer.Extract(resource).Count;
                    long elapsed = Stopwatch.GetTimestamp() - start;
                    if (!warmUp)
                    {
                        (int count, long ticks, long total) = byType.GetValueOrDefault(resource.TypeName);
                        byType[resource.TypeName] = (count + 1, ticks + elapsed, total + entries);
                    }
                }
            }
        }

        int resources = byType.Values.Sum(v => v.Count);
        double seconds = byType.Values.Sum(v => v.Ticks) / (double)Stopwatch.Frequency;
        Console.WriteLine($"{"type",-28} {"resources",10} {"µs/resource",12} {"entries/resource",17}");
        foreach ((string type, (int count, long ticks, long entries)) in byType.OrderByDescending(p => p.Value.Ticks))
        {
            Console.WriteLine($"{type,-28} {count,10} {ticks * 1e6 / Stopwatch.Frequency / count,12:F1} {entries / (double)count,17:F1}");
        }

        Console.WriteLine(
            $"RESULT corpus: {resources} resource extractions over {passes} pass(es), {seconds * 1e6 / resources:F1} µs/resource, {resources / seconds:F0} resources/s (extraction only, one thread)");
    }

    private static void RunByParameter()
    {
        var parameters = new OpenHip.Fhir.Search.SearchParameterRegistry().Current;
        TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        Dictionary<string, ParameterExtractor[]> compiled = new(StringComparer.Ordinal);
        Dictionary<string, long> ticks = new(StringComparer.Ordinal);
        List<Base> scratch = [];
        int resources = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            // The first pass compiles and JITs; only the second is counted.
            ticks.Clear();
            resources = 0;
            foreach (string file in Files())
            {
                var bundle = (Bundle)FhirCodec.ParseJson(File.ReadAllBytes(file));
                foreach (Resource resource in bundle.Entry.Select(e => e.Resource).OfType<Resource>())
                {
                    resources++;
                    if (!compiled.TryGetValue(resource.TypeName, out ParameterExtractor[]? extractors))
                    {
                        extractors = ExtractorCompiler.Compile(parameters, resource.TypeName, zone);
                        compiled[resource.TypeName] = extractors;
                    }

                    HashSet<OpenHip.Fhir.Storage.IndexEntry> entries = [];
                    PocoNode? root = null;
                    foreach (ParameterExtractor extractor in extractors)
                    {
                        long start = Stopwatch.GetTimestamp();
                        extractor.Extract(resource, ref root, scratch, entries);
                        string key = $"{resource.TypeName}.{extractor.Code}";
                        ticks[key] = ticks.GetValueOrDefault(key) + Stopwatch.GetTimestamp() - start;
                    }
                }
            }
        }

        foreach ((string key, long t) in ticks.OrderByDescending(p => p.Value).Take(400))
        {
            Console.WriteLine($"{key,-50} {t * 1e6 / Stopwatch.Frequency / resources,10:F2} µs per resource of the corpus");
        }
    }

    private static string[] Files() =>
        [.. Folders.SelectMany(f => Directory.GetFiles(Path.Combine(SyntheaSample.DataDirectory(), f), "*.json")).Order(StringComparer.Ordinal)];
}
