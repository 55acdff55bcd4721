namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>Controls of the Poisson CUSUM of Rossi et al. (1999), named as R's <c>cusum</c> with <c>trans="standard"</c>.</summary>
internal sealed record CusumOptions
{
    /// <summary>Reference value subtracted from each standardised count.</summary>
    public double K { get; init; } = 1.04;

    /// <summary>Decision interval: an alarm when the cumulative sum reaches it.</summary>
    public double H { get; init; } = 2.26;

    /// <summary>In-control mean; null estimates it as the mean of all counts before the monitored range.</summary>
    public double? M { get; init; }

    public MonitoredRange? Range { get; init; }

    /// <summary>The controls of the reference file <c>agona__cusum.csv</c>.</summary>
    public static CusumOptions Reference { get; } = new() { Range = new MonitoredRange(264, 312) };

    public void Validate()
    {
        if (!(K >= 0) || double.IsInfinity(K) || !(H > 0) || double.IsInfinity(H))
        {
            throw new ArgumentException($"cusum: k must be finite and non-negative and h finite and positive (got k={K}, h={H})");
        }

        if (M is { } m && !(m > 0))
        {
            throw new ArgumentException($"cusum: m must be positive (got {m})");
        }
    }
}
