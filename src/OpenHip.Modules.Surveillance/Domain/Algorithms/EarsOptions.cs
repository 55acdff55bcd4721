namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>Controls of EARS C1/C2/C3 with R's defaults; <see cref="Alpha"/> null means the method's default.</summary>
internal sealed record EarsOptions
{
    public EarsMethod Method { get; init; } = EarsMethod.C1;

    /// <summary>One-sided level; null gives 0.001 for C1 and C2 and 0.025 for C3, as R does when alpha is absent.</summary>
    public double? Alpha { get; init; }

    public int Baseline { get; init; } = 7;

    public double MinSigma { get; init; }

    public C3Mode C3Mode { get; init; } = C3Mode.R;

    /// <summary>The CDC C3 threshold on the summed terms (used only in <see cref="C3Mode.Cdc"/>).</summary>
    public double CdcThreshold { get; init; } = 2;

    /// <summary>Monitored range; null means from the first step with a full baseline to the end.</summary>
    public MonitoredRange? Range { get; init; }

    public double EffectiveAlpha => Alpha ?? (Method == EarsMethod.C3 ? 0.025 : 0.001);

    /// <summary>The guard band between the baseline and the step it is compared with.</summary>
    public int Lag => Method == EarsMethod.C1 ? 0 : 2;

    /// <summary>The first 1-based step that has every value the method reads.</summary>
    public int EarliestStep => Baseline + 1 + Lag + (Method == EarsMethod.C3 ? 2 : 0);

    public void Validate()
    {
        if (EffectiveAlpha is not (> 0 and < 1))
        {
            throw new ArgumentException($"earsC: alpha must lie strictly between 0 and 1 (got {EffectiveAlpha})");
        }

        if (Baseline < 2)
        {
            throw new ArgumentException($"earsC: baseline must be at least 2 steps so that a standard deviation exists (got {Baseline})");
        }

        if (!(MinSigma >= 0) || double.IsInfinity(MinSigma))
        {
            throw new ArgumentException($"earsC: minSigma must be finite and non-negative (got {MinSigma})");
        }

        if (!(CdcThreshold > 0) || double.IsInfinity(CdcThreshold))
        {
            throw new ArgumentException($"earsC: the CDC C3 threshold must be finite and positive (got {CdcThreshold})");
        }
    }
}
