namespace OpenHip.Fhir.Access;

/// <summary>The SMART v2 interaction letters (c r u d s); v1 <c>read</c> is r+s and <c>write</c> is c+u+d.</summary>
[Flags]
public enum AccessRights
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    Search = 16,
    All = Create | Read | Update | Delete | Search,
}
