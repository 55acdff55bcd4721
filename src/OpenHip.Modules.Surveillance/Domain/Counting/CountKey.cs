namespace OpenHip.Modules.Surveillance.Domain.Counting;

/// <summary>
/// The stratum of one stored daily count: disease × county × day (region time) × age group × sex, in one of the
/// <see cref="CountStreams"/>.
/// </summary>
internal readonly record struct CountKey(string Disease, string County, DateOnly Day, string AgeGroup, string Sex, string Stream = CountStreams.Cases)
{
    // Case counts keep the ids they had before the evidence streams existed, so stored counts go on being added to.
    public string ResourceId => Stream == CountStreams.Cases
        ? SurveillanceIds.Of("surv-count", Disease, County, Iso, AgeGroup, Sex)
        : SurveillanceIds.Of("surv-count", Disease, County, Iso, AgeGroup, Sex, Stream);

    private string Iso => Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
