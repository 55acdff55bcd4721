namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>Controls of the Bayes detector (Riebler 2004), named as R's <c>bayes</c>.</summary>
internal sealed record BayesOptions
{
    /// <summary>Years back whose ±w windows enter the baseline.</summary>
    public int B { get; init; }

    public int W { get; init; } = 6;

    /// <summary>Whether the w steps just before the current one enter the baseline.</summary>
    public bool ActualYear { get; init; } = true;

    public double Alpha { get; init; } = 0.05;

    public MonitoredRange? Range { get; init; }

    /// <summary>The controls of the reference file <c>agona__bayes.csv</c>.</summary>
    public static BayesOptions Reference { get; } = new() { B = 0, W = 6, ActualYear = true, Alpha = 0.05, Range = new MonitoredRange(264, 312) };

    public void Validate()
    {
        if (B < 0 || W < 0 || (B == 0 && (!ActualYear || W == 0)))
        {
            throw new ArgumentException($"bayes: the baseline is empty or negative (b={B}, w={W}, actY={ActualYear})");
        }

        if (Alpha is not (> 0 and < 1))
        {
            throw new ArgumentException($"bayes: alpha must lie strictly between 0 and 1 (got {Alpha})");
        }
    }
}
