namespace OpenHip.Modules.Surveillance.Domain.Counting;

internal enum AreaLevel
{
    County,
    City,
    Province,
}
