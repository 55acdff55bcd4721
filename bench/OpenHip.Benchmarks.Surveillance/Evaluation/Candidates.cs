namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>What the harness scores: the catalogue's algorithms for each granularity, plus a small grid of controls on daily counts.</summary>
internal static class Candidates
{
    /// <summary>The alert rules' aberration default, as <c>AlertRule.Defaults</c> has it.</summary>
    public static readonly Candidate CurrentDefault = Of(Modules.Surveillance.Features.Alerts.AlertRule.Defaults.Single(r => r.Kind == "aberration"));

    /// <summary>R's improved Farrington as Noufaily et al. (2013) recommend: the reference for outbreaks detected.</summary>
    public static readonly Candidate Noufaily = new("farringtonFlexible", "preset=noufaily");

    /// <summary>Weekly algorithms (the R package's set), each with the controls of its reference file.</summary>
    public static IReadOnlyList<Candidate> Weekly { get; } =
    [
        new("earsC1"),
        new("earsC2"),
        new("earsC3"),
        new("earsC3", "mode=cdc"),
        new("farringtonFlexible", "preset=default"),
        Noufaily,
        new("farrington"),
        new("cusum"),
        new("rki"),
        new("bayes"),
        new("glrnb"),
    ];

    /// <summary>
    /// Daily algorithms for the county-day alert rule: EARS in both C3 forms with a floor under σ (sparse county counts
    /// have a zero standard deviation on most days), CIDARS and ESSENCE. The Farrington family, CUSUM, RKI, Bayes and GLR
    /// are weekly methods and are scored on weeks.
    /// </summary>
    public static IReadOnlyList<Candidate> Daily { get; } = WithCurrentDefault(
    [
        new("earsC1"),
        new("earsC1", "minSigma=0.5"),
        new("earsC1", "minSigma=1"),
        new("earsC1", "minSigma=2"),
        new("earsC2", "minSigma=0.5"),
        new("earsC2", "minSigma=1"),
        new("earsC2", "minSigma=2"),
        new("earsC3"),
        new("earsC3", "minSigma=1"),
        new("earsC3", "mode=cdc"),
        new("earsC3", "mode=cdc", "minSigma=0.5"),
        new("earsC3", "mode=cdc", "minSigma=1"),
        new("earsC3", "mode=cdc", "minSigma=2"),
        new("earsC3", "mode=cdc", "minSigma=1", "cdcThreshold=3"),
        new("movingPercentile"),
        new("movingPercentile", "percentile=95"),
        new("essenceEwma"),
        new("essenceEwma", "minSigma=1"),
    ]);

    /// <summary>The grid, plus the current default wherever it is not on it already.</summary>
    private static Candidate[] WithCurrentDefault(Candidate[] grid) => [.. grid.Append(CurrentDefault).DistinctBy(c => c.Name)];

    private static Candidate Of(Modules.Surveillance.Features.Alerts.AlertRule rule) => new(rule.Algorithm, [.. rule.Parameters]);
}
