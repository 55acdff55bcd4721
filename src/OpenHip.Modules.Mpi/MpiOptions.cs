using System.ComponentModel.DataAnnotations;
using OpenHip.Modules.Mpi.Features.Linking;

namespace OpenHip.Modules.Mpi;

/// <summary>The MPI's configuration section (<c>Modules:Mpi</c>).</summary>
public sealed class MpiOptions : IValidatableObject
{
    public const string SectionName = "Modules:Mpi";

    /// <summary>At or above: linked without review (match grade certain).</summary>
    [Range(0.5, 1)]
    public double AutoLinkThreshold { get; init; } = 0.95;

    /// <summary>At or above: to the review queue (probable).</summary>
    [Range(0, 1)]
    public double ReviewThreshold { get; init; } = 0.5;

    /// <summary>At or above: shown by $match as possible.</summary>
    [Range(0, 1)]
    public double PossibleThreshold { get; init; } = 0.1;

    /// <summary>$match answers at most this many candidates when the caller gives no count.</summary>
    [Range(1, 1000)]
    public int DefaultMatchCount { get; init; } = 10;

    /// <summary>
    /// Link every Patient change to a golden Person as it is committed (the outbox consumer). Off for a bulk load that
    /// is linked afterwards with <c>openhip mpi rebuild</c>, or for tests that count what a request wrote.
    /// </summary>
    public bool LinkOnWrite { get; init; } = true;

    /// <summary>
    /// Load the match index and fit its model when the server starts, in the background (off: on the first request
    /// that needs it, which then waits — minutes at a million Patients).
    /// </summary>
    public bool PreloadIndex { get; init; } = true;

    /// <summary>Which member's values the golden Person shows (<c>Modules:Mpi:Survivorship</c>).</summary>
    public SurvivorshipOptions Survivorship { get; init; } = new();

    /// <summary>meta.source of what the MPI writes itself (golden Persons, review Tasks, merge records).</summary>
    [Required]
    public string WriterSource { get; init; } = "http://openhip.org/fhir/mpi";

    /// <summary>Patients linked per progress line of <c>openhip mpi rebuild</c> (and per durable checkpoint).</summary>
    [Range(1, 1_000_000)]
    public int RebuildCheckpointEvery { get; init; } = 1000;

    /// <summary>
    /// Population from which the model's EM refit runs in the background on a snapshot while the old estimates keep
    /// serving (below it the refit runs in line: it is quick, and the same data always gives the same model).
    /// </summary>
    [Range(1000, int.MaxValue)]
    public int BackgroundRefitFrom { get; init; } = 50_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!(AutoLinkThreshold >= ReviewThreshold && ReviewThreshold >= PossibleThreshold))
        {
            yield return new ValidationResult(
                "thresholds must satisfy AutoLinkThreshold >= ReviewThreshold >= PossibleThreshold",
                [nameof(AutoLinkThreshold), nameof(ReviewThreshold), nameof(PossibleThreshold)]);
        }
    }
}
