namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// Controls of the Poisson GLR detector for an increase of the intercept (Höhle and Paul 2008), named as R's
/// <c>glrnb</c> with <c>alpha=0</c>, <c>change="intercept"</c>, <c>dir="inc"</c>, <c>ret="cases"</c>.
/// </summary>
internal sealed record GlrPoissonOptions
{
    /// <summary>Threshold on the GLR statistic.</summary>
    public double CArl { get; init; } = 5;

    /// <summary>Fixed in-control means over the range; null fits log μ₀ = β₀ + β₁cos(2πt/f) + β₂sin(2πt/f) to the steps before it.</summary>
    public double[]? Mu0 { get; init; }

    /// <summary>Largest window of past steps the change may start in; -1 means since the last alarm or the range start.</summary>
    public int M { get; init; } = -1;

    /// <summary>Fewest steps a window must have.</summary>
    public int MTilde { get; init; } = 1;

    public MonitoredRange? Range { get; init; }

    /// <summary>The controls of the reference file <c>agona__glrnb_pois.csv</c>.</summary>
    public static GlrPoissonOptions Reference { get; } = new() { Range = new MonitoredRange(264, 312) };

    public void Validate()
    {
        if (!(CArl > 0) || double.IsInfinity(CArl))
        {
            throw new ArgumentException($"glrnb: c.ARL must be finite and positive (got {CArl})");
        }

        if (MTilde < 1 || (M != -1 && M < MTilde))
        {
            throw new ArgumentException($"glrnb: need Mtilde ≥ 1 and M = -1 or M ≥ Mtilde (got M={M}, Mtilde={MTilde})");
        }
    }
}
