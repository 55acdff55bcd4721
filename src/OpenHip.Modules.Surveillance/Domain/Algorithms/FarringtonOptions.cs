namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>Controls of the original Farrington et al. (1996) algorithm, named as R's <c>farrington</c>.</summary>
internal sealed record FarringtonOptions
{
    public int B { get; init; } = 3;

    public int W { get; init; } = 3;

    public bool Reweight { get; init; } = true;

    /// <summary>Two-sided level: the bound is the upper end of a (1 − α) prediction interval.</summary>
    public double Alpha { get; init; } = 0.01;

    public bool Trend { get; init; } = true;

    public int Limit54Cases { get; init; } = 5;

    public int Limit54Steps { get; init; } = 4;

    public PowerTransform PowerTransform { get; init; } = PowerTransform.TwoThirds;

    public MonitoredRange? Range { get; init; }

    /// <summary>The controls of the reference file <c>agona__farrington_classic.csv</c>.</summary>
    public static FarringtonOptions Reference { get; } = new() { B = 5, W = 3, Alpha = 0.05, Range = new MonitoredRange(264, 312) };

    public void Validate()
    {
        if (B < 1)
        {
            throw new ArgumentException($"farrington: b (years back) must be at least 1 (got {B})");
        }

        if (W < 0)
        {
            throw new ArgumentException($"farrington: w (half window) must not be negative (got {W})");
        }

        if (Alpha is not (> 0 and < 1))
        {
            throw new ArgumentException($"farrington: alpha must lie strictly between 0 and 1 (got {Alpha})");
        }

        if (Limit54Cases < 0 || Limit54Steps < 1)
        {
            throw new ArgumentException($"farrington: limit54 needs a non-negative case count and at least one step (got {Limit54Cases},{Limit54Steps})");
        }
    }
}
