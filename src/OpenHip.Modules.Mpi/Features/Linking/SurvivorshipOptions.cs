namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>Which member's value the golden Person shows, per field (<c>Modules:Mpi:Survivorship</c>). Identifiers are always the union.</summary>
public sealed class SurvivorshipOptions
{
    public SurvivorshipRule Name { get; init; } = SurvivorshipRule.SourcePriority;

    public SurvivorshipRule Gender { get; init; } = SurvivorshipRule.MostFrequent;

    public SurvivorshipRule BirthDate { get; init; } = SurvivorshipRule.MostFrequent;

    public SurvivorshipRule Telecom { get; init; } = SurvivorshipRule.MostRecent;

    public SurvivorshipRule Address { get; init; } = SurvivorshipRule.MostRecent;

    /// <summary>meta.source values (institutions) in order of trust, most trusted first.</summary>
    public IReadOnlyList<string> SourcePriority { get; init; } = [];
}
