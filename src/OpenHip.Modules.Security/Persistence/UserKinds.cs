namespace OpenHip.Modules.Security.Persistence;

public static class UserKinds
{
    public const string Practitioner = "practitioner";
    public const string Resident = "resident";
    public const string Operator = "operator";

    public static bool IsKnown(string kind) => kind is Practitioner or Resident or Operator;
}
