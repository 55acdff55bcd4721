namespace OpenHip.Modules.Surveillance.Domain.Counting;

/// <summary>The stratum of one stored daily count: disease × county × day (region time) × age group × sex.</summary>
internal readonly record struct CountKey(string Disease, string County, DateOnly Day, string AgeGroup, string Sex)
{
    public string ResourceId => SurveillanceIds.Of("surv-count", Disease, County, Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), AgeGroup, Sex);
}
