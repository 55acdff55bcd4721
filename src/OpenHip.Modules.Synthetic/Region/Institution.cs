namespace OpenHip.Modules.Synthetic.Region;

/// <summary>An organisation of the region with its location and staff ids (all fixed, readable ids).</summary>
internal sealed record Institution(
    string Id,
    string Name,
    InstitutionKind Kind,
    Division Division,
    string LocationId,
    IReadOnlyList<string> PractitionerIds,
    string MrnPrefix)
{
    public string OrganizationReference => "Organization/" + Id;

    public string LocationReference => "Location/" + LocationId;

    /// <summary>meta.source for everything this institution submits (see the module README).</summary>
    public string Source => "http://openhip.org/org/" + Id;

    public string MrnSystem => "http://openhip.org/sid/mrn/" + Id;

    public bool IsPrimaryCare => Kind is InstitutionKind.CommunityHealthCentre or InstitutionKind.TownshipHealthCentre;

    public bool IsHospital => Kind is InstitutionKind.TertiaryHospital or InstitutionKind.SecondaryHospital;
}
