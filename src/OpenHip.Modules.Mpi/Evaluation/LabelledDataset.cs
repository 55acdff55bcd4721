using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Evaluation;

/// <summary>A benchmark file set: records, the true entity of each, and how it is to be linked.</summary>
internal sealed record LabelledDataset(string Name, IReadOnlyList<PersonRecord> Records, IReadOnlyList<string> Entities, LinkageOptions Options);
