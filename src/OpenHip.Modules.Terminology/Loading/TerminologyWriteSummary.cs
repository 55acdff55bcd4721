namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// What a load did: new resources, new versions of changed ones, those already current (not written), and those left
/// out because they could not be written (only when the caller asked to go on without them).
/// </summary>
public sealed record TerminologyWriteSummary(int Created, int Updated, int Unchanged, int Refused = 0)
{
    public int Written => Created + Updated;
}
