namespace OpenHip.Modules.Security.Persistence;

/// <summary>A person who signs in at the login form: a practitioner, a resident or an operator.</summary>
public sealed class AuthUser
{
    public string Id { get; set; } = Guid.NewGuid().ToString("n");

    public string UserName { get; set; } = string.Empty;

    /// <summary>ASP.NET Core's PasswordHasher format (PBKDF2-HMAC-SHA512, salted, iteration count inside the hash).</summary>
    public string PasswordHash { get; set; } = string.Empty;

    /// <summary><c>practitioner</c>, <c>resident</c> or <c>operator</c>.</summary>
    public string Kind { get; set; } = UserKinds.Practitioner;

    /// <summary>The user as a FHIR reference, e.g. <c>Practitioner/123</c> or <c>Patient/456</c>.</summary>
    public string? FhirUser { get; set; }

    /// <summary>Space-separated roles; each becomes one <c>role</c> claim.</summary>
    public string Roles { get; set; } = string.Empty;

    /// <summary>The user's institution (shown by the admin API; tokens carry the client's institution).</summary>
    public string? Source { get; set; }

    /// <summary>Space-separated purposes of use the user may ask for with the <c>purpose_of_use</c> parameter.</summary>
    public string PurposesOfUse { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public IReadOnlyList<string> RoleList => Split(Roles);

    public IReadOnlyList<string> PurposeList => Split(PurposesOfUse);

    internal static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
