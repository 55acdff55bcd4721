using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Features.OfflineDetection;

/// <summary>
/// The detectors by the names of issue #10 and their <c>k=v</c> controls (R's names). Without parameters each runs
/// with exactly the controls of its reference file in ../shared/data/surveillance; the detectors whose reference
/// was run on <c>range=264:312</c> default to freq·5 + 4 .. end, which is that range on the weekly reference series.
/// </summary>
internal sealed class DetectorCatalog
{
    private readonly Dictionary<string, Func<DetectorParameters, CountSeries, Func<DetectionResult>>> _detectors = new(StringComparer.Ordinal)
    {
        ["earsC1"] = (p, s) => Ears(EarsMethod.C1, p, s),
        ["earsC2"] = (p, s) => Ears(EarsMethod.C2, p, s),
        ["earsC3"] = (p, s) => Ears(EarsMethod.C3, p, s),
        ["farringtonFlexible"] = FarringtonFlexibleRun,
        ["farrington"] = FarringtonRun,
        ["cusum"] = CusumRun,
        ["rki"] = RkiRun,
        ["bayes"] = BayesRun,
        ["glrnb"] = GlrRun,
        ["movingPercentile"] = MovingPercentileRun,
        ["essenceEwma"] = EssenceRun,
    };

    public IEnumerable<string> Names => _detectors.Keys;

    /// <summary>Frequency read before the series is built; every detector accepts it.</summary>
    public static int Frequency(DetectorParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        int frequency = parameters.Integer("frequency") ?? 52;
        return frequency >= 1 ? frequency : throw new ArgumentException($"parameter 'frequency' must be at least 1 (got {frequency})");
    }

    public DetectionResult Run(string algorithm, DetectorParameters parameters, CountSeries series)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(series);
        Frequency(parameters);
        if (!_detectors.TryGetValue(algorithm, out var configure))
        {
            throw new ArgumentException($"unknown algorithm '{algorithm}'; known: {string.Join(", ", Names)}");
        }

        // Options are built (and parameters read) before anything runs, so a misspelt parameter fails fast.
        Func<DetectionResult> run = configure(parameters, series);
        parameters.RejectUnknown(algorithm);
        return run();
    }

    private static MonitoredRange ReferenceRange(DetectorParameters p, CountSeries series) =>
        p.Range() ?? new MonitoredRange(Math.Min((series.Frequency * 5) + 4, series.Length), series.Length);

    private static Func<DetectionResult> Ears(EarsMethod method, DetectorParameters p, CountSeries series)
    {
        var options = new EarsOptions
        {
            Method = method,
            Alpha = p.Number("alpha"),
            Baseline = p.Integer("baseline") ?? 7,
            MinSigma = p.Number("minSigma") ?? 0,
            Range = p.Range(),
        };
        if (method == EarsMethod.C3)
        {
            options = options with
            {
                C3Mode = p.Choice("mode", "r", "cdc") == "cdc" ? C3Mode.Cdc : C3Mode.R,
                CdcThreshold = p.Number("cdcThreshold") ?? 2,
            };
        }

        return () => EarsC.Detect(series, options);
    }

    private static Func<DetectionResult> FarringtonFlexibleRun(DetectorParameters p, CountSeries series)
    {
        FarringtonFlexibleOptions preset = p.Choice("preset", "default", "noufaily") == "noufaily" ? FarringtonFlexibleOptions.Noufaily : FarringtonFlexibleOptions.Default;
        (int cases, int steps) = Limit54(p, preset.Limit54Cases, preset.Limit54Steps);
        FarringtonFlexibleOptions options = preset with
        {
            B = p.Integer("b") ?? preset.B,
            W = p.Integer("w") ?? preset.W,
            Reweight = p.Flag("reweight") ?? preset.Reweight,
            WeightsThreshold = p.Number("weightsThreshold") ?? preset.WeightsThreshold,
            Alpha = p.Number("alpha") ?? preset.Alpha,
            Trend = p.Flag("trend") ?? preset.Trend,
            PThresholdTrend = p.Number("pThresholdTrend") ?? preset.PThresholdTrend,
            Limit54Cases = cases,
            Limit54Steps = steps,
            PowerTransform = PowerTransformOf(p) ?? preset.PowerTransform,
            NoPeriods = p.Integer("noPeriods") ?? preset.NoPeriods,
            PastWeeksNotIncluded = p.Integer("pastWeeksNotIncluded") ?? preset.PastWeeksNotIncluded,
            ThresholdMethod = p.Choice("thresholdMethod", "delta", "nbPlugin") switch
            {
                "delta" => FarringtonThresholdMethod.Delta,
                "nbPlugin" => FarringtonThresholdMethod.NbPlugin,
                _ => preset.ThresholdMethod,
            },
            Range = p.Range(),
        };
        return () => FarringtonFlexible.Detect(series, options);
    }

    private static Func<DetectionResult> FarringtonRun(DetectorParameters p, CountSeries series)
    {
        (int cases, int steps) = Limit54(p, 5, 4);
        var options = new FarringtonOptions
        {
            B = p.Integer("b") ?? 5,
            W = p.Integer("w") ?? 3,
            Reweight = p.Flag("reweight") ?? true,
            Alpha = p.Number("alpha") ?? 0.05,
            Trend = p.Flag("trend") ?? true,
            Limit54Cases = cases,
            Limit54Steps = steps,
            PowerTransform = PowerTransformOf(p) ?? PowerTransform.TwoThirds,
            Range = p.Range(),
        };
        return () => Farrington.Detect(series, options);
    }

    private static Func<DetectionResult> CusumRun(DetectorParameters p, CountSeries series)
    {
        var options = new CusumOptions { K = p.Number("k") ?? 1.04, H = p.Number("h") ?? 2.26, M = p.Number("m"), Range = ReferenceRange(p, series) };
        return () => Cusum.Detect(series, options);
    }

    private static Func<DetectionResult> RkiRun(DetectorParameters p, CountSeries series)
    {
        var options = new RkiOptions { B = p.Integer("b") ?? 2, W = p.Integer("w") ?? 4, ActualYear = p.Flag("actY") ?? false, Range = ReferenceRange(p, series) };
        return () => Rki.Detect(series, options);
    }

    private static Func<DetectionResult> BayesRun(DetectorParameters p, CountSeries series)
    {
        var options = new BayesOptions
        {
            B = p.Integer("b") ?? 0,
            W = p.Integer("w") ?? 6,
            ActualYear = p.Flag("actY") ?? true,
            Alpha = p.Number("alpha") ?? 0.05,
            Range = ReferenceRange(p, series),
        };
        return () => Bayes.Detect(series, options);
    }

    private static Func<DetectionResult> GlrRun(DetectorParameters p, CountSeries series)
    {
        var options = new GlrPoissonOptions
        {
            CArl = p.Number("c.ARL") ?? 5,
            M = p.Integer("M") ?? -1,
            MTilde = p.Integer("Mtilde") ?? 1,
            Range = ReferenceRange(p, series),
        };
        return () => GlrPoisson.Detect(series, options);
    }

    private static Func<DetectionResult> MovingPercentileRun(DetectorParameters p, CountSeries series)
    {
        var options = new MovingPercentileOptions
        {
            Window = p.Integer("window") ?? 7,
            Years = p.Integer("years") ?? 3,
            PeriodsAround = p.Integer("periodsAround") ?? 2,
            Percentile = p.Number("percentile") ?? 80,
            DaysPerYear = p.Integer("daysPerYear") ?? 365,
            Range = p.Range(),
        };
        return () => MovingPercentile.Detect(series, options);
    }

    private static Func<DetectionResult> EssenceRun(DetectorParameters p, CountSeries series)
    {
        var options = new EssenceOptions
        {
            Method = p.Choice("method", "switch", "ewma", "regression") switch
            {
                "ewma" => EssenceMethod.Ewma,
                "regression" => EssenceMethod.Regression,
                _ => EssenceMethod.Switch,
            },
            Baseline = p.Integer("baseline") ?? 28,
            Guard = p.Integer("guard") ?? 2,
            Omega = p.Number("omega") ?? 0.4,
            Alpha = p.Number("alpha") ?? 0.01,
            DayOfWeek = p.Flag("dayOfWeek") ?? true,
            Trend = p.Flag("trend") ?? true,
            SwitchR2 = p.Number("switchR2") ?? 0.6,
            MinSigma = p.Number("minSigma") ?? 0,
            Range = p.Range(),
        };
        return () => Essence.Detect(series, options);
    }

    private static PowerTransform? PowerTransformOf(DetectorParameters p) => p.Choice("powertrans", "2/3", "1/2", "none") switch
    {
        "2/3" => PowerTransform.TwoThirds,
        "1/2" => PowerTransform.Half,
        "none" => PowerTransform.None,
        _ => null,
    };

    /// <summary>R's <c>limit54=c(cases,steps)</c>, written <c>limit54=5,4</c>.</summary>
    private static (int Cases, int Steps) Limit54(DetectorParameters p, int cases, int steps)
    {
        string? text = p.Text("limit54");
        if (text is null)
        {
            return (cases, steps);
        }

        string[] parts = text.Split(',');
        return parts.Length == 2 && int.TryParse(parts[0], out int c) && int.TryParse(parts[1], out int s)
            ? (c, s)
            : throw new ArgumentException($"parameter 'limit54' must be cases,steps, e.g. 5,4 (got '{text}')");
    }
}
