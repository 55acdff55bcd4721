using System.Globalization;
using System.Text;
using OpenHip.Modules.Surveillance.Domain.Evaluation;

namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>The harness's table (Markdown, pasted into docs/performance.md), its CSV, and the check of the default.</summary>
internal static class EvaluationReport
{
    /// <summary>The target of issue #10: at most this many false alarms per county, disease and year.</summary>
    public const double MaxFalseAlarmsPerAreaYear = 1.0;

    public static void Print(TextWriter writer, IReadOnlyList<EvaluationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (IGrouping<(string, string), EvaluationRow> set in rows.GroupBy(r => (r.Dataset, r.Granularity)))
        {
            EvaluationRow first = set.First();
            writer.WriteLine();
            writer.WriteLine(Invariant($"{first.Dataset}, {first.Granularity}s: {first.Score.Outbreaks} outbreaks, {first.Score.AreaYears:0.#} area-years scored"));
            writer.WriteLine();
            writer.WriteLine("| algorithm | detected | POD | sensitivity | specificity | mean delay (days) | false alarms / area-year | series failed |");
            writer.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (EvaluationRow row in set)
            {
                BacktestScore s = row.Score;
                writer.WriteLine(Invariant($"| {row.Candidate} | {s.Detected}/{s.Outbreaks} | {F(s.ProbabilityOfDetection)} | {F(s.Sensitivity)} | {F(s.Specificity)} | {F(row.MeanDelayDays, "0.0")} | {F(s.FalseAlarmsPerAreaYear, "0.00")} | {row.Failed} |"));
            }
        }

        writer.WriteLine();
    }

    public static string Csv(IReadOnlyList<EvaluationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder("dataset,granularity,algorithm,stepDays,failedSeries,meanDelayDays," + BacktestScore.CsvHeader + "\n");
        foreach (EvaluationRow row in rows)
        {
            text.Append(Invariant($"\"{row.Dataset}\",{row.Granularity},\"{row.Candidate}\",{row.StepDays},{row.Failed},{F(row.MeanDelayDays, "0.######")},{row.Score.ToCsvFields()}\n"));
        }

        return text.ToString();
    }

    /// <summary>
    /// The target for the county-day aberration rule: false alarms ≤ 1 per county per disease per year and at least as
    /// many outbreaks detected as Noufaily on weeks. Prints whether the current default meets it and the best that does
    /// (most outbreaks, then shortest delay, then fewest false alarms).
    /// </summary>
    public static void PrintDefaultChoice(TextWriter writer, EvaluationRow noufaily, IReadOnlyList<EvaluationRow> daily, string currentDefault)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(noufaily);
        ArgumentNullException.ThrowIfNull(daily);
        bool Meets(EvaluationRow r) => r.Score.FalseAlarmsPerAreaYear <= MaxFalseAlarmsPerAreaYear && r.Score.Detected >= noufaily.Score.Detected;
        EvaluationRow current = daily.Single(r => r.Candidate == currentDefault);
        writer.WriteLine(Invariant($"target: <= {MaxFalseAlarmsPerAreaYear} false alarm per county per disease per year and >= {noufaily.Score.Detected}/{noufaily.Score.Outbreaks} outbreaks (weekly Noufaily, {F(noufaily.Score.FalseAlarmsPerAreaYear, "0.00")} false alarms/area-year, delay {F(noufaily.MeanDelayDays, "0.0")} days)"));
        writer.WriteLine(Invariant($"current default {current.Candidate}: {current.Score.Detected}/{current.Score.Outbreaks}, {F(current.Score.FalseAlarmsPerAreaYear, "0.00")} false alarms/area-year, delay {F(current.MeanDelayDays, "0.0")} days: {(Meets(current) ? "meets the target" : "misses the target")}"));
        EvaluationRow? best = daily.Where(Meets)
            .OrderByDescending(r => r.Score.Detected)
            .ThenBy(r => double.IsNaN(r.MeanDelayDays) ? double.MaxValue : r.MeanDelayDays)
            .ThenBy(r => r.Score.FalseAlarmsPerAreaYear)
            .FirstOrDefault();
        writer.WriteLine(best is null
            ? "no daily candidate meets the target"
            : Invariant($"best daily candidate meeting the target: {best.Candidate}: {best.Score.Detected}/{best.Score.Outbreaks}, {F(best.Score.FalseAlarmsPerAreaYear, "0.00")} false alarms/area-year, delay {F(best.MeanDelayDays, "0.0")} days"));
    }

    private static string F(double value, string format = "0.000") => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
