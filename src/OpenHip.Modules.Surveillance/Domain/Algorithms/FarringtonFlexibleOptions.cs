namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// Controls of the improved Farrington algorithm (Noufaily et al. 2013), named as R's <c>farringtonFlexible</c>.
/// <see cref="Default"/> is the package default, <see cref="Noufaily"/> the setting the paper recommends.
/// </summary>
internal sealed record FarringtonFlexibleOptions
{
    /// <summary>The package defaults: 5 years back, ±3 weeks, delta threshold, trend test at 5 %.</summary>
    public static FarringtonFlexibleOptions Default { get; } = new();

    /// <summary>Noufaily et al. (2013): a 10-level seasonal factor over all past weeks except the last 26, negative-binomial threshold, trend always tried.</summary>
    public static FarringtonFlexibleOptions Noufaily { get; } = new()
    {
        NoPeriods = 10,
        PastWeeksNotIncluded = 26,
        PThresholdTrend = 1,
        ThresholdMethod = FarringtonThresholdMethod.NbPlugin,
    };

    /// <summary>Years back.</summary>
    public int B { get; init; } = 5;

    /// <summary>Half-width of the reference window in steps.</summary>
    public int W { get; init; } = 3;

    public bool Reweight { get; init; } = true;

    public double WeightsThreshold { get; init; } = 2.58;

    public double Alpha { get; init; } = 0.05;

    public bool Trend { get; init; } = true;

    public double PThresholdTrend { get; init; } = 0.05;

    /// <summary>No alarm unless at least this many cases fell in the last <see cref="Limit54Steps"/> steps (Farrington's 5-in-4 rule).</summary>
    public int Limit54Cases { get; init; } = 5;

    public int Limit54Steps { get; init; } = 4;

    public PowerTransform PowerTransform { get; init; } = PowerTransform.TwoThirds;

    public int NoPeriods { get; init; } = 1;

    /// <summary>Recent steps left out of the baseline; null means <see cref="W"/>.</summary>
    public int? PastWeeksNotIncluded { get; init; }

    public FarringtonThresholdMethod ThresholdMethod { get; init; } = FarringtonThresholdMethod.Delta;

    /// <summary>Monitored range; null means from step freq·b + w + 1 (the first with a full baseline) to the end.</summary>
    public MonitoredRange? Range { get; init; }

    public int EffectivePastWeeksNotIncluded => PastWeeksNotIncluded ?? W;

    public void Validate(string algorithm = "farringtonFlexible")
    {
        if (B < 1)
        {
            throw new ArgumentException($"{algorithm}: b (years back) must be at least 1 (got {B})");
        }

        if (W < 0)
        {
            throw new ArgumentException($"{algorithm}: w (half window) must not be negative (got {W})");
        }

        if (Alpha is not (> 0 and < 1))
        {
            throw new ArgumentException($"{algorithm}: alpha must lie strictly between 0 and 1 (got {Alpha})");
        }

        if (!(WeightsThreshold > 0))
        {
            throw new ArgumentException($"{algorithm}: weightsThreshold must be positive (got {WeightsThreshold})");
        }

        if (PThresholdTrend is not (>= 0 and <= 1))
        {
            throw new ArgumentException($"{algorithm}: pThresholdTrend must lie between 0 and 1 (got {PThresholdTrend})");
        }

        if (NoPeriods < 1)
        {
            throw new ArgumentException($"{algorithm}: noPeriods must be at least 1 (got {NoPeriods})");
        }

        if (Limit54Cases < 0 || Limit54Steps < 1)
        {
            throw new ArgumentException($"{algorithm}: limit54 needs a non-negative case count and at least one step (got {Limit54Cases},{Limit54Steps})");
        }

        if (EffectivePastWeeksNotIncluded < 0)
        {
            throw new ArgumentException($"{algorithm}: pastWeeksNotIncluded must not be negative (got {EffectivePastWeeksNotIncluded})");
        }
    }
}
