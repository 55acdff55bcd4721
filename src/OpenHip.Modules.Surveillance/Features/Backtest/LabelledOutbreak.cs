using OpenHip.Modules.Surveillance.Domain.Counting;

namespace OpenHip.Modules.Surveillance.Features.Backtest;

/// <summary>A known outbreak given to <c>$surveillance-backtest</c>: inclusive dates and, optionally, its area (any level).</summary>
internal sealed record LabelledOutbreak(DateOnly Start, DateOnly End, string? Area)
{
    /// <summary>
    /// Whether the outbreak belongs to the series of <paramref name="seriesArea"/> (null = the whole region): either
    /// area contains the other (a county's outbreak is in its city's series; a city-wide outbreak is in each county's).
    /// </summary>
    public bool AppliesTo(string? seriesArea) =>
        Area is null || seriesArea is null || Contains(Area, seriesArea) || Contains(seriesArea, Area);

    private static bool Contains(string outer, string inner)
    {
        if (!AreaCode.TryParse(outer, out AreaCode? area))
        {
            return false; // both codes were validated by the parser; this keeps the method total
        }

        return area.Value.Level switch
        {
            AreaLevel.Province => inner.StartsWith(outer[..2], StringComparison.Ordinal),
            AreaLevel.City => inner.StartsWith(outer[..4], StringComparison.Ordinal),
            _ => outer == inner,
        };
    }
}
