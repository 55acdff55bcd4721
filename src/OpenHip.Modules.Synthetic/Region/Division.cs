namespace OpenHip.Modules.Synthetic.Region;

/// <summary>A county-level division (GB/T 2260) the region uses, with its city and an approximate population.</summary>
internal sealed record Division(
    string Code,
    string Name,
    string CityCode,
    string CityName,
    string ProvinceName,
    bool IsUrbanDistrict,
    int PopulationThousands,
    string PostalCode);
