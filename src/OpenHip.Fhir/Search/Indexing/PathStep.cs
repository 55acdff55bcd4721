namespace OpenHip.Fhir.Search.Indexing;

/// <summary>One step of a plain index path (see <see cref="PathParser"/>).</summary>
/// <param name="Index">For <see cref="PathStepKind.Child"/>: the one list item to take (<c>entry[0]</c>), or -1 for all.</param>
/// <param name="ClrType">For <see cref="PathStepKind.OfType"/>: the POCO type the name stands for, when Firely knows it.</param>
internal readonly record struct PathStep(PathStepKind Kind, string Name, string? Value = null, int Index = -1, Type? ClrType = null);
