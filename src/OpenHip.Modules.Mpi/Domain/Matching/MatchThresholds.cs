namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Probability thresholds: at or above <see cref="AutoLink"/> records are linked without a person looking
/// (certain); at or above <see cref="Review"/> the pair goes to the review queue (probable); at or above
/// <see cref="Possible"/> it is shown to searchers as possible; below, certainly not.
/// </summary>
internal sealed record MatchThresholds(double AutoLink = 0.95, double Review = 0.5, double Possible = 0.1)
{
    public static MatchThresholds Default { get; } = new();

    /// <summary>A pair under a cannot-link rule is at most probable: a person decides, never the machine.</summary>
    public MatchGrade Grade(double probability, bool cannotLink) =>
        probability >= AutoLink ? (cannotLink ? MatchGrade.Probable : MatchGrade.Certain)
        : probability >= Review ? MatchGrade.Probable
        : probability >= Possible ? MatchGrade.Possible
        : MatchGrade.CertainlyNot;
}
