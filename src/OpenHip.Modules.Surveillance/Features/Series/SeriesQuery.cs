namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>A validated <c>$surveillance-series</c> request.</summary>
/// <param name="Area">A six-digit GB/T 2260 code at any level; null = the whole region.</param>
/// <param name="Start">First day counted (for ISO weeks: the Monday of the week holding the requested start).</param>
/// <param name="End">Last day counted (for ISO weeks: the Sunday of the week holding the requested end).</param>
/// <param name="Stream">Which count: <c>case</c>, or an evidence stream (<see cref="Domain.Counting.CountStreams"/>).</param>
internal sealed record SeriesQuery(
    string Disease,
    string? Area,
    DateOnly Start,
    DateOnly End,
    SeriesGranularity Granularity,
    string? AgeGroup,
    string? Sex,
    string? Algorithm,
    IReadOnlyList<string> AlgorithmParameters,
    bool Csv,
    string Stream = Domain.Counting.CountStreams.Cases);
