using System.Diagnostics;
using System.Globalization;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Evaluation;

namespace OpenHip.Benchmarks.Mpi;

/// <summary>
/// Single-record matching against the in-memory blocking index that $match uses: the synthetic region's records are
/// put into a <see cref="BlockingIndex"/>, the model is fitted once, then records of the population are matched one at
/// a time (as $match does, under their own id's exclusion) and the latency of each is kept for p50/p99.
/// </summary>
internal static class MatchIndexBenchmark
{
    public static void Run(int residents, int queries)
    {
        var clock = Stopwatch.StartNew();
        LabelledDataset dataset = SyntheticRegionDataset.Create(residents, seed: 1);
        IReadOnlyList<PersonRecord> records = dataset.Records;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {records.Count:N0} records of {residents:N0} residents in {clock.Elapsed.TotalSeconds:F1} s"));

        using var index = new BlockingIndex();
        clock.Restart();
        foreach (PersonRecord record in records)
        {
            index.Upsert(record, 1);
        }

        double loadSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexed {records.Count:N0} records in {loadSeconds:F1} s ({records.Count / loadSeconds:N0}/s); managed heap {GC.GetTotalMemory(true) / (1 << 20):N0} MiB"));

        clock.Restart();
        var model = new MatchModel(PopulationFit.Estimate(index), [], []);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model fitted (EM) in {clock.Elapsed.TotalSeconds:F1} s"));

#pragma warning disable CA5394 // sampling which records to query; no security involved
        var random = new Random(7);
#pragma warning restore CA5394
        var thresholds = MatchThresholds.Default;
        for (int i = 0; i < 200; i++)
        {
            index.Query(records[random.Next(records.Count)], model, thresholds); // warm-up (tiered JIT)
        }

        var latencies = new double[queries];
        long found = 0;
        for (int i = 0; i < queries; i++)
        {
            PersonRecord query = records[random.Next(records.Count)];
            long start = Stopwatch.GetTimestamp();
            found += index.Query(query, model, thresholds).Count;
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"$match in-process against {records.Count:N0} records: p50 {latencies[queries / 2]:F3} ms, p99 {latencies[(int)(queries * 0.99)]:F3} ms, max {latencies[^1]:F3} ms over {queries:N0} queries ({(double)found / queries:F1} candidates graded possible or better each)"));
    }
}
