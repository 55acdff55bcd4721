using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The region time zone (<see cref="FhirEngineOptions.TimeZone"/>) resolved once: stored dates and search values without
/// a zone are read in it. Start-up validation (<see cref="FhirEngineOptionsValidator"/>) has already refused an unknown id.
/// </summary>
public sealed class RegionTimeZone
{
    public RegionTimeZone(IOptions<FhirEngineOptions> options)
        : this(Resolve(options.Value.TimeZone))
    {
    }

    private RegionTimeZone(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    public static RegionTimeZone Of(TimeZoneInfo zone) => new(zone ?? throw new ArgumentNullException(nameof(zone)));

    /// <summary>The zone for an IANA (or Windows) id; null when this machine does not know it.</summary>
    public static TimeZoneInfo? TryResolve(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static TimeZoneInfo Resolve(string id) =>
        TryResolve(id) ?? throw new InvalidOperationException($"Fhir:TimeZone '{id}' is not a time zone known to this machine");
}
