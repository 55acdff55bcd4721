namespace OpenHip.Modules.Terminology.Loading;

/// <summary>What a load did: new resources, new versions of changed ones, and those already current (not written).</summary>
public sealed record TerminologyWriteSummary(int Created, int Updated, int Unchanged)
{
    public int Written => Created + Updated;
}
