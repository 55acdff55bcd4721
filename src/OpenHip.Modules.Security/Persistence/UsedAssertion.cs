namespace OpenHip.Modules.Security.Persistence;

/// <summary>
/// A client assertion's <c>jti</c> seen at the token endpoint, kept until the assertion expires so a replay on any
/// node sharing the database is refused (the primary key makes the second insert fail).
/// </summary>
public sealed class UsedAssertion
{
    /// <summary><c>client_id</c> + a separator + <c>jti</c>: a jti only has to be unique per issuer.</summary>
    public string Id { get; set; } = string.Empty;

    public DateTimeOffset ExpiresAt { get; set; }
}
