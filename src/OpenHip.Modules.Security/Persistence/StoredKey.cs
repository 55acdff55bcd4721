namespace OpenHip.Modules.Security.Persistence;

/// <summary>
/// A key of the authorization server, shared by every node through the database: the newest signing key signs,
/// all unretired ones validate; the encryption key protects authorization codes and refresh tokens.
/// </summary>
public sealed class StoredKey
{
    /// <summary>The JWK <c>kid</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary><c>sig</c> or <c>enc</c>.</summary>
    public string Use { get; set; } = KeyUses.Signing;

    /// <summary>RS256 or ES256 for signing keys, A256KW for the encryption key.</summary>
    public string Algorithm { get; set; } = string.Empty;

    /// <summary>
    /// The private key: PKCS#8 PEM for RSA and EC keys, base64 for the AES key. Protected by the database's own access
    /// control (see docs/security.md).
    /// </summary>
    public string Material { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set by <c>auth key rotate</c> on the keys it replaces; they keep validating until then.</summary>
    public DateTimeOffset? RetiresAt { get; set; }
}
