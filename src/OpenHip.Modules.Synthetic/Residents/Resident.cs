using OpenHip.Modules.Synthetic.Region;

namespace OpenHip.Modules.Synthetic.Residents;

/// <summary>The true identity of one synthetic person; institution records are (possibly distorted) copies of it.</summary>
internal sealed record Resident(
    int Index,
    string Key,
    bool Male,
    DateOnly BirthDate,
    Division Home,
    Ethnicity Ethnicity,
    PersonName Name,
    string? IdNumber,
    string? Nationality,
    string? PassportNumber,
    string Phone,
    string AddressLine,
    ResidentRelation? Relation)
{
    public string? IdDivisionCode => IdNumber?[..6];

    public int AgeAt(DateOnly date)
    {
        int age = date.Year - BirthDate.Year;
        return BirthDate > date.AddYears(-age) ? age - 1 : age;
    }
}
