namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>One step of a served series: its first day, its label (the date, or <c>2026-W17</c>), the count, and the detector's bound and alarm (NaN / null = none).</summary>
internal sealed record SeriesPoint(DateOnly Period, string Label, int Observed, double UpperBound, bool? Alarm);
