using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenHip.Benchmarks.Mpi;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Evaluation;

// Accuracy and speed of the MPI matcher on the shared benchmark files (issue 6):
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Mpi -- [--data ../shared/data/mpi] [--csv out.csv] [--seconds 3] [--residents 20000] [--no-curve]
//     [--max-block 100] [--block-window 10] (the synthetic region's block cap and window, for trying them; the shared files keep theirs)
// Prints pairwise precision/recall/F1 per dataset (with and without ID columns), blocking recall, timings and
// candidate pairs compared and scored per second; writes precision/recall per threshold as CSV.
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Mpi -- --match-index 100000 [--queries 5000]
// measures single-record matching against the in-memory blocking index ($match) instead;
//   dotnet run -c Release --project bench/OpenHip.Benchmarks.Mpi -- --link 5000
// measures incremental linking through the engine and a SQLite store (add --warm for a running server's rate).
if (Option(args, "--match-index") is { } matchResidents)
{
    MatchIndexBenchmark.Run(int.Parse(matchResidents, CultureInfo.InvariantCulture), int.Parse(Option(args, "--queries") ?? "5000", CultureInfo.InvariantCulture));
    return 0;
}

if (Option(args, "--link") is { } linkResidents)
{
    await LinkingBenchmark.RunAsync(int.Parse(linkResidents, CultureInfo.InvariantCulture), args.Contains("--warm"));
    return 0;
}

string? data = Option(args, "--data") ?? FindSharedMpi();
if (data is null)
{
    Console.Error.WriteLine("../shared/data/mpi not found; pass --data <folder>");
    return 2;
}

string csvPath = Option(args, "--csv") ?? "mpi-thresholds.csv";
double seconds = double.Parse(Option(args, "--seconds") ?? "3", CultureInfo.InvariantCulture);
int residents = int.Parse(Option(args, "--residents") ?? "20000", CultureInfo.InvariantCulture);
bool curve = !args.Contains("--no-curve");
var defaults = new LinkageOptions();
LinkageOptions synthetic = defaults with
{
    MaxBlockSize = int.Parse(Option(args, "--max-block") ?? defaults.MaxBlockSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
    BlockWindow = int.Parse(Option(args, "--block-window") ?? defaults.BlockWindow.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
};
string febrl = Path.Combine(data, "febrl");
string uganda = Path.Combine(data, "opencr-uganda");
LabelledDataset[] datasets =
[
    FebrlDatasets.Link(febrl, withIds: true),
    FebrlDatasets.Dedup(febrl, "dataset3.csv", withIds: true),
    FebrlDatasets.Link(febrl, withIds: false),
    FebrlDatasets.Dedup(febrl, "dataset3.csv", withIds: false),
    UgandaDataset.Read(uganda, withIds: true),
    UgandaDataset.Read(uganda, withIds: false),
    .. residents > 0 ? [SyntheticRegionDataset.Create(residents, seed: 1, synthetic)] : Array.Empty<LabelledDataset>(),
];

var csv = new StringBuilder("dataset,threshold,pair_precision,pair_recall,pair_f1,precision,recall,f1\n");
Console.WriteLine($"{"dataset",-26} {"records",7} {"candidates",10} {"block-rec",9} {"precision",9} {"recall",7} {"F1",7} {"EM it",5} {"total ms",8} {"bad links",9}  stages: blocking/compare+score/EM/clustering ms, CPU time of the linking");
DatasetEvaluation? largest = null;
foreach (LabelledDataset dataset in datasets)
{
    var clock = Stopwatch.StartNew();
    TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    DatasetEvaluation e = DatasetEvaluation.Of(dataset);
    double ms = clock.Elapsed.TotalMilliseconds;

    // The machine is shared: the CPU time says what the run costs whatever the others are doing (÷ 2 on two free cores, at best).
    double linkCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{dataset.Name,-26} {dataset.Records.Count,7} {e.Run.Pairs.Count,10} {e.BlockingRecall,9:F4} {e.Metrics.Precision,9:F4} {e.Metrics.Recall,7:F4} {e.Metrics.F1,7:F4} {e.Run.Model.Probabilities.Iterations,5} {ms,8:F0} {ValidIdConflicts(e),9}  {e.Run.BlockingTime.TotalMilliseconds:F0}/{e.Run.ComparisonTime.TotalMilliseconds:F0}/{e.Run.EstimationTime.TotalMilliseconds:F0}/{e.Run.ClusteringTime.TotalMilliseconds:F0}  cpu {linkCpuSeconds:F1} s"));
    foreach (ThresholdCurve.Point p in curve ? ThresholdCurve.Points(e, Thresholds()) : [])
    {
        csv.Append(CultureInfo.InvariantCulture,
            $"{dataset.Name},{p.Threshold:F3},{p.Pairs.Precision:F5},{p.Pairs.Recall:F5},{p.Pairs.F1:F5},{p.Clustered.Precision:F5},{p.Clustered.Recall:F5},{p.Clustered.F1:F5}\n");
    }

    if (largest is null || e.Run.Pairs.Count > largest.Run.Pairs.Count)
    {
        largest = e;
    }
}

File.WriteAllText(csvPath, csv.ToString());
Console.WriteLine($"precision/recall per threshold: {Path.GetFullPath(csvPath)}");

// Throughput: compare and score the largest candidate set, repeated to two million pairs, on every core.
MatchRun run = largest!.Run;
long[] keys = [.. Enumerable.Range(0, (2_000_000 / run.Pairs.Count) + 1).SelectMany(_ => run.Pairs.Keys).Take(2_000_000)];
long scored = 0;
PairScorer.CompareAndScore(run.Records, run.Model, keys); // warm-up (tiered JIT)
var timer = Stopwatch.StartNew();
TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
while (timer.Elapsed.TotalSeconds < seconds)
{
    PairScorer.CompareAndScore(run.Records, run.Model, keys);
    scored += keys.Length;
}

// The machine is shared: CPU time says what the cores would do if they were ours alone.
double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"pairs compared and scored: {scored / timer.Elapsed.TotalSeconds:N0}/s wall clock on {Environment.ProcessorCount} cores; {scored / cpuSeconds:N0}/s per CPU-second ({largest.Dataset.Name} candidate pairs, {run.Pairs.Count:N0} distinct)"));
return 0;

// Pairs put in one identity although both carry valid, different resident ID numbers (must be zero).
static long ValidIdConflicts(DatasetEvaluation e)
{
    long conflicts = 0;
    foreach (IGrouping<int, int> cluster in Enumerable.Range(0, e.Run.Records.Count).GroupBy(i => e.Run.Clusters[i]))
    {
        int[] members = [.. cluster];
        for (int x = 0; x < members.Length; x++)
        {
            for (int y = x + 1; y < members.Length; y++)
            {
                conflicts += CannotLinkRules.Applies(e.Run.Records[members[x]], e.Run.Records[members[y]]) ? 1 : 0;
            }
        }
    }

    return conflicts;
}

static IEnumerable<double> Thresholds()
{
    for (int i = 1; i < 20; i++)
    {
        yield return i * 0.05;
    }

    foreach (double t in new[] { 0.97, 0.98, 0.99, 0.995, 0.999 })
    {
        yield return t;
    }
}

static string? Option(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string? FindSharedMpi()
{
    for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "shared", "data", "mpi");
        if (Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    return null;
}
