namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>What <see cref="AuditLogVerifier"/> checked and found; intact when nothing was found.</summary>
public sealed record AuditVerificationReport(int Chains, long Rows, int Checkpoints, IReadOnlyList<AuditFinding> Findings)
{
    public bool Intact => Findings.Count == 0;
}
