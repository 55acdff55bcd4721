using System.Globalization;

namespace OpenHip.Modules.Surveillance.Domain.Evaluation;

/// <summary>
/// How an algorithm's alarms compare with labelled outbreaks over the monitored steps of one or more series. Counts are
/// additive (<see cref="Add"/>), so scores of several areas, diseases or simulated series aggregate by summing; the
/// rates are derived from the sums.
/// </summary>
/// <param name="TruePositives">Steps inside a labelled outbreak with an alarm.</param>
/// <param name="FalsePositives">Steps outside every labelled outbreak with an alarm (the false alarms).</param>
/// <param name="TrueNegatives">Steps outside every labelled outbreak without an alarm.</param>
/// <param name="FalseNegatives">Steps inside a labelled outbreak without an alarm.</param>
/// <param name="Outbreaks">Runs of labelled steps that overlap the monitored steps.</param>
/// <param name="Detected">Outbreaks with at least one alarm on a monitored step inside the run.</param>
/// <param name="DelaySum">Σ over detected outbreaks of the steps from the run's first step to its first alarm.</param>
/// <param name="AreaYears">Σ over series of monitored steps / steps per year (one series = one area).</param>
internal sealed record BacktestScore(
    int TruePositives,
    int FalsePositives,
    int TrueNegatives,
    int FalseNegatives,
    int Outbreaks,
    int Detected,
    int DelaySum,
    double AreaYears)
{
    public static BacktestScore Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public const string CsvHeader = "steps,areaYears,tp,fp,tn,fn,sensitivity,specificity,outbreaks,detected,probabilityOfDetection,meanDelay,falseAlarmsPerAreaYear";

    public int Steps => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>TP / (TP + FN); NaN when no monitored step lies in an outbreak.</summary>
    public double Sensitivity => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>TN / (TN + FP); NaN when every monitored step lies in an outbreak.</summary>
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);

    /// <summary>Outbreaks detected / outbreaks; NaN without outbreaks.</summary>
    public double ProbabilityOfDetection => Ratio(Detected, Outbreaks);

    /// <summary>Mean steps from an outbreak's start to its first alarm, over detected outbreaks; NaN when none was detected.</summary>
    public double MeanDelay => Ratio(DelaySum, Detected);

    /// <summary>False alarms per area and year monitored; NaN when nothing was monitored.</summary>
    public double FalseAlarmsPerAreaYear => AreaYears > 0 ? FalsePositives / AreaYears : double.NaN;

    public BacktestScore Add(BacktestScore other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new BacktestScore(
            TruePositives + other.TruePositives,
            FalsePositives + other.FalsePositives,
            TrueNegatives + other.TrueNegatives,
            FalseNegatives + other.FalseNegatives,
            Outbreaks + other.Outbreaks,
            Detected + other.Detected,
            DelaySum + other.DelaySum,
            AreaYears + other.AreaYears);
    }

    /// <summary>The values of <see cref="CsvHeader"/>, invariant culture, NA for undefined rates.</summary>
    public string ToCsvFields() => string.Join(
        ',',
        Steps.ToString(CultureInfo.InvariantCulture),
        Number(AreaYears),
        TruePositives.ToString(CultureInfo.InvariantCulture),
        FalsePositives.ToString(CultureInfo.InvariantCulture),
        TrueNegatives.ToString(CultureInfo.InvariantCulture),
        FalseNegatives.ToString(CultureInfo.InvariantCulture),
        Number(Sensitivity),
        Number(Specificity),
        Outbreaks.ToString(CultureInfo.InvariantCulture),
        Detected.ToString(CultureInfo.InvariantCulture),
        Number(ProbabilityOfDetection),
        Number(MeanDelay),
        Number(FalseAlarmsPerAreaYear));

    private static string Number(double value) => double.IsNaN(value) ? "NA" : Math.Round(value, 6).ToString("R", CultureInfo.InvariantCulture);

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}
