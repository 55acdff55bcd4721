namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>One thing verification found wrong, located as exactly as the evidence allows.</summary>
/// <param name="Kind">modified, deleted, reordered, truncated, checkpoint-signature, checkpoint-key, checkpoint-series, witness-behind, database-checkpoints.</param>
/// <param name="ChainId">The chain, when the finding is about one.</param>
/// <param name="Sequence">The first affected sequence number in that chain.</param>
/// <param name="Recorded">When the affected record was recorded (or the nearest known time).</param>
public sealed record AuditFinding(string Kind, string? ChainId, long? Sequence, DateTimeOffset? Recorded, string Detail)
{
    public override string ToString()
    {
        string where = ChainId is null ? string.Empty : $" chain={ChainId}";
        where += Sequence is { } seq ? $" seq={seq}" : string.Empty;
        where += Recorded is { } at ? $" recorded={at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}" : string.Empty;
        return $"{Kind}{where}: {Detail}";
    }
}
