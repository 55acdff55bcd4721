namespace OpenHip.Modules.Surveillance.Domain.Counting;

/// <summary>
/// The age groups of the count series: 0-4, 5-14, 15-24, 25-59, 60+ (the bands China's notifiable-disease statistics and
/// WHO ILI reporting share closely enough to compare); age in completed years at the case date.
/// </summary>
internal static class AgeGroups
{
    public const string Unknown = "unknown";

    public static IReadOnlyList<string> All { get; } = ["0-4", "5-14", "15-24", "25-59", "60+", Unknown];

    public static string Of(DateOnly? birthDate, DateOnly day)
    {
        if (birthDate is not { } birth || birth > day)
        {
            return Unknown;
        }

        int age = day.Year - birth.Year - (day.Month < birth.Month || (day.Month == birth.Month && day.Day < birth.Day) ? 1 : 0);
        return age switch
        {
            < 5 => "0-4",
            < 15 => "5-14",
            < 25 => "15-24",
            < 60 => "25-59",
            _ => "60+",
        };
    }
}
