using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Modules.Surveillance.Domain.Evaluation;
using OpenHip.Modules.Surveillance.Features.Series;

namespace OpenHip.Modules.Surveillance.Features.Backtest;

/// <summary>The two forms of a backtest: a Parameters resource, and a one-row CSV with the columns of the evaluation harness.</summary>
internal static class BacktestOutput
{
    public const string CsvHeader = "disease,area,granularity,algorithm," + BacktestScore.CsvHeader;

    public static Parameters ToParameters(BacktestRequest request, IReadOnlyList<SeriesPoint> points, BacktestScore score, IReadOnlyList<OutbreakRun> runs)
    {
        SeriesQuery query = request.Query;
        var result = new Parameters();
        result.Add("disease", new Code(query.Disease));
        result.Add("area", new Code(query.Area ?? "*"));
        result.Add("granularity", new Code(Granularity(query)));
        result.Add("start", new Date(Iso(query.Start)));
        result.Add("end", new Date(Iso(query.End)));
        result.Add("algorithm", new Code(query.Algorithm));
        SeriesPoint[] monitored = [.. points.Where(p => p.Alarm is not null)];
        if (monitored.Length > 0)
        {
            result.Add("monitoredStart", new Date(Iso(monitored[0].Period)));
            result.Add("monitoredEnd", new Date(Iso(SeriesSteps.LastDay(query.Granularity, monitored[^1].Period))));
        }

        result.Add("steps", new Integer(score.Steps));
        result.Add("areaYears", Decimal(score.AreaYears));
        result.Add("truePositives", new Integer(score.TruePositives));
        result.Add("falsePositives", new Integer(score.FalsePositives));
        result.Add("trueNegatives", new Integer(score.TrueNegatives));
        result.Add("falseNegatives", new Integer(score.FalseNegatives));
        AddRate(result, "sensitivity", score.Sensitivity);
        AddRate(result, "specificity", score.Specificity);
        result.Add("outbreaks", new Integer(score.Outbreaks));
        result.Add("outbreaksDetected", new Integer(score.Detected));
        AddRate(result, "probabilityOfDetection", score.ProbabilityOfDetection);
        AddRate(result, "meanDelay", score.MeanDelay);
        AddRate(result, "falseAlarmsPerAreaYear", score.FalseAlarmsPerAreaYear);
        foreach (OutbreakRun run in runs)
        {
            var parts = new List<Tuple<string, Base>>
            {
                Tuple.Create<string, Base>("start", new Date(Iso(points[run.First].Period))),
                Tuple.Create<string, Base>("end", new Date(Iso(SeriesSteps.LastDay(query.Granularity, points[run.Last].Period)))),
                Tuple.Create<string, Base>("detected", new FhirBoolean(run.Detected)),
            };
            if (run.Delay is { } delay)
            {
                parts.Add(Tuple.Create<string, Base>("delay", new Integer(delay)));
                parts.Add(Tuple.Create<string, Base>("firstAlarm", new Date(Iso(points[run.First + delay].Period))));
            }

            result.Add("outbreak", parts);
        }

        return result;
    }

    public static byte[] ToCsv(BacktestRequest request, BacktestScore score)
    {
        SeriesQuery query = request.Query;
        string row = string.Join(',', query.Disease, query.Area ?? "*", Granularity(query), query.Algorithm, score.ToCsvFields());
        return Encoding.UTF8.GetBytes(CsvHeader + "\n" + row + "\n");
    }

    /// <summary>Undefined rates (nothing to divide by, e.g. no outbreak detected for the delay) are left out.</summary>
    private static void AddRate(Parameters result, string name, double value)
    {
        if (!double.IsNaN(value))
        {
            result.Add(name, Decimal(value));
        }
    }

    private static FhirDecimal Decimal(double value) => new((decimal)Math.Round(value, 6));

    private static string Granularity(SeriesQuery query) => query.Granularity == SeriesGranularity.Day ? "day" : "isoweek";

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
