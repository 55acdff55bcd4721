namespace OpenHip.Modules.Surveillance.Features.Series;

internal enum SeriesGranularity
{
    Day,

    /// <summary>ISO 8601 weeks, Monday to Sunday, labelled <c>2026-W17</c> and dated by their Monday.</summary>
    IsoWeek,
}
