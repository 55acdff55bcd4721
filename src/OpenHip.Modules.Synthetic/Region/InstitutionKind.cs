namespace OpenHip.Modules.Synthetic.Region;

internal enum InstitutionKind
{
    TertiaryHospital,
    SecondaryHospital,
    CommunityHealthCentre,
    TownshipHealthCentre,
    Pharmacy,
    Cdc,
}
