using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// <c>Security:FieldEncryption</c>: SM4-GCM encryption at rest of sensitive element values (see docs/security.md,
/// "Cryptography and field encryption"). On when a key-encryption key is configured.
/// </summary>
public sealed class FieldEncryptionOptions
{
    public const string SectionName = "Security:FieldEncryption";

    public const string KekKey = SectionName + ":Kek";

    public const string KekFileKey = SectionName + ":KekFile";

    /// <summary>
    /// The key-encryption key: 16 bytes as 32 hex digits or base64. A secret: give it through the environment
    /// (<c>OPENHIP__Security__FieldEncryption__Kek</c>) or <see cref="KekFile"/>, never in openhip.json.
    /// </summary>
    public string? Kek { get; init; }

    /// <summary>A file holding the key-encryption key (hex or base64 text, or 16 raw bytes); readable by the server only.</summary>
    public string? KekFile { get; init; }

    /// <summary>
    /// Which values are encrypted: those of an element (Identifier, ContactPoint, Reference.identifier, ...) whose
    /// <c>system</c> is listed. An entry ending in "/" covers every system under it (passports per country). Null: the
    /// resident-id and passport systems. ContactPoint systems work too: add "phone" or "email" to encrypt telecom values.
    /// </summary>
    public string[]? Systems { get; init; }

    /// <summary>
    /// Token parameters on which a search value without a system also looks for protected values (an OR with the blind
    /// index). Other parameters need the value's system to find a protected value.
    /// </summary>
    public string[]? UnqualifiedSearchParameters { get; init; }

    /// <summary>How often a running server looks for a data key made current by <c>openhip keys rotate</c>.</summary>
    [Range(1, 3600)]
    public int KeyRefreshSeconds { get; init; } = 30;

    internal static readonly string[] DefaultSystems = ["http://openhip.org/sid/cn-resident-id", "http://openhip.org/sid/passport/"];

    internal static readonly string[] DefaultUnqualifiedSearchParameters = ["identifier", "telecom", "phone", "email"];

    internal bool Enabled => !string.IsNullOrWhiteSpace(Kek) || !string.IsNullOrWhiteSpace(KekFile);
}
