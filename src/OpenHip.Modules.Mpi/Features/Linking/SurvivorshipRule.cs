namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>How the golden Person picks one member's value of a field.</summary>
public enum SurvivorshipRule
{
    /// <summary>The most recently updated member that has the field.</summary>
    MostRecent,

    /// <summary>The value most members share; a tie goes to the most recent of the tied.</summary>
    MostFrequent,

    /// <summary>The member whose meta.source ranks first in <see cref="SurvivorshipOptions.SourcePriority"/>; unlisted sources rank last, ties go to the most recent.</summary>
    SourcePriority,
}
