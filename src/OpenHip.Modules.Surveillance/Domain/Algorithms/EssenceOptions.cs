namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// Controls of the ESSENCE daily detectors (Burkom 2005; Burkom, Elbert et al. 2007): a 28-day baseline ending
/// a 2-day guard band before the test day, EWMA weight 0.4, and a one-sided Student-t threshold.
/// </summary>
internal sealed record EssenceOptions
{
    public EssenceMethod Method { get; init; } = EssenceMethod.Switch;

    public int Baseline { get; init; } = 28;

    public int Guard { get; init; } = 2;

    /// <summary>EWMA smoothing weight ω.</summary>
    public double Omega { get; init; } = 0.4;

    /// <summary>One-sided level (ESSENCE: 0.05 warning, 0.01 alert).</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Whether the regression has day-of-week indicators.</summary>
    public bool DayOfWeek { get; init; } = true;

    /// <summary>Whether the regression has a linear trend.</summary>
    public bool Trend { get; init; } = true;

    /// <summary>Adjusted R² from which the switch uses the regression.</summary>
    public double SwitchR2 { get; init; } = 0.6;

    /// <summary>Floor for the baseline standard deviation, so sparse baselines do not alarm on every case.</summary>
    public double MinSigma { get; init; }

    public MonitoredRange? Range { get; init; }

    /// <summary>Regression parameters: intercept, trend and six day-of-week indicators.</summary>
    public int RegressionParameters => 1 + (Trend ? 1 : 0) + (DayOfWeek ? 6 : 0);

    public void Validate()
    {
        int minimum = Math.Max(2, Method == EssenceMethod.Ewma ? 2 : RegressionParameters + 1);
        if (Baseline < minimum || Guard < 0)
        {
            throw new ArgumentException($"essenceEwma: the baseline needs at least {minimum} days and the guard band must not be negative (got baseline={Baseline}, guard={Guard})");
        }

        if (Omega is not (> 0 and <= 1))
        {
            throw new ArgumentException($"essenceEwma: omega must lie in (0, 1] (got {Omega})");
        }

        if (Alpha is not (> 0 and < 1))
        {
            throw new ArgumentException($"essenceEwma: alpha must lie strictly between 0 and 1 (got {Alpha})");
        }

        if (!(MinSigma >= 0) || double.IsInfinity(MinSigma))
        {
            throw new ArgumentException($"essenceEwma: minSigma must be finite and non-negative (got {MinSigma})");
        }
    }
}
