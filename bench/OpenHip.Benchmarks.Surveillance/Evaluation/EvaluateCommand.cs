using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenHip.Modules.Surveillance.Domain.Evaluation;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;
using OpenHip.Modules.Synthetic;

namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>
/// The evaluation harness of issue #10: every algorithm scored (<see cref="BacktestScoring"/>, the scoring of
/// <c>$surveillance-backtest</c>) on simulated point-source series and on the synthetic region's labelled outbreaks;
/// prints a table, writes a CSV, and checks the alert rules' default against the target (≤ 1 false alarm per county per
/// disease per year, at least as many outbreaks detected as R's Noufaily setting).
/// Run: dotnet run -c Release --project bench/OpenHip.Benchmarks.Surveillance -- evaluate [--simulations N] [--regions N] [--out file.csv]
/// </summary>
internal static class EvaluateCommand
{
    public static int Run(string[] args)
    {
        int simulations = Option(args, "--simulations", 100);
        int regions = Option(args, "--regions", 16);
        string output = OptionText(args, "--out") ?? Path.Combine(Path.GetTempPath(), "openhip-surveillance-evaluation.csv");
        string? folder = FindData();
        var detectors = new DetectorCatalog();
        var rows = new List<EvaluationRow>();
        var clock = Stopwatch.StartNew();

        if (folder is null)
        {
            Console.WriteLine("../shared/data/surveillance not found beside the repository: the reference series and R's alarms are skipped");
        }
        else
        {
            LabelledSeries reference = SimulatedSeries.Reference(folder);
            rows.Add(new EvaluationRow("sim_pointsource (R's series)", "week", "R farringtonFlexible noufaily (golden)", SimulatedSeries.RNoufaily(folder, reference), 7));
            rows.AddRange(ScoreAll(detectors, "sim_pointsource (R's series)", "week", [reference], Candidates.Weekly));
        }

        List<LabelledSeries> simulated = SimulatedSeries.Generated(simulations);
        rows.AddRange(ScoreAll(detectors, string.Create(CultureInfo.InvariantCulture, $"{simulations} simulated point-source series"), "week", simulated, Candidates.Weekly));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simulations scored in {clock.Elapsed.TotalSeconds:F0} s"));

        (List<LabelledSeries> daily, List<LabelledSeries> weekly, int outbreaks) = RegionSeries.Build(Regions(regions));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{regions} synthetic regions generated ({outbreaks} labelled outbreaks, {daily.Count} county × disease series) at {clock.Elapsed.TotalSeconds:F0} s"));
        string regionSet = string.Create(CultureInfo.InvariantCulture, $"synthetic regions ×{regions}, county × disease");
        List<EvaluationRow> regionWeekly = ScoreAll(detectors, regionSet, "week", weekly, Candidates.Weekly);
        List<EvaluationRow> regionDaily = ScoreAll(detectors, regionSet, "day", daily, Candidates.Daily);
        rows.AddRange(regionWeekly);
        rows.AddRange(regionDaily);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:F0} s"));

        EvaluationReport.Print(Console.Out, rows);
        File.WriteAllText(output, EvaluationReport.Csv(rows), new UTF8Encoding(false));
        Console.WriteLine($"CSV: {output}");
        EvaluationReport.PrintDefaultChoice(Console.Out, regionWeekly.Single(r => r.Candidate == Candidates.Noufaily.Name), regionDaily, Candidates.CurrentDefault.Name);
        return 0;
    }

    /// <summary>
    /// Regions of 1,500, 3,000, 6,000 and 12,000 residents in turn: the generator sizes its outbreaks at 2 cases per
    /// 1,000 residents, at least 3, so outbreaks of 3, 6, 12 and 24 cases, from hard to easy. Seven years of history so
    /// weekly Farrington has its five past years before the scored year.
    /// </summary>
    private static IEnumerable<SyntheticRegionOptions> Regions(int count) =>
        Enumerable.Range(1, count).Select(seed => new SyntheticRegionOptions
        {
            Seed = seed,
            Patients = 1500 << ((seed - 1) % 4),
            HistoryYears = 7,
            VariationShare = 0,
        });

    /// <summary>Each candidate's scores summed over the series; candidates in parallel (the machine has 2 cores).</summary>
    private static List<EvaluationRow> ScoreAll(DetectorCatalog detectors, string dataset, string granularity, List<LabelledSeries> series, IReadOnlyList<Candidate> candidates)
    {
        var rows = new EvaluationRow[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            BacktestScore sum = BacktestScore.Empty;
            int failed = 0;
            foreach (LabelledSeries one in series)
            {
                (BacktestScore score, bool fail) = candidates[i].Score(detectors, one);
                sum = sum.Add(score);
                failed += fail ? 1 : 0;
            }

            rows[i] = new EvaluationRow(dataset, granularity, candidates[i].Name, sum, series[0].StepDays, failed);
        });
        return [.. rows];
    }

    private static string? FindData()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data", "surveillance");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
