using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>One candidate found by $match: the stored Patient's id, the probability, its grade and why.</summary>
internal sealed record PatientMatch(string Id, double Probability, MatchGrade Grade, IReadOnlyList<FieldEvidence> Evidence);

/// <summary>How one field compared and what it weighed (log2 Bayes factor, term-frequency adjustment included).</summary>
internal sealed record FieldEvidence(ComparedField Field, string Level, double Weight);
