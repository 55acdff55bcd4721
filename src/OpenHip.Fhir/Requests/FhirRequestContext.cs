using OpenHip.Fhir.Access;

namespace OpenHip.Fhir.Requests;

/// <summary>
/// Who is calling and from where: carried through every interaction so access checks, meta.source and audit
/// all see the same caller.
/// </summary>
/// <param name="BaseUrl">The server's FHIR base, without a trailing slash (for fullUrl and Location).</param>
/// <param name="Who">The authenticated client or user; null while auth is off.</param>
/// <param name="Source">The submitting institution (meta.source) of the authenticated client; null while auth is off.</param>
public sealed record FhirRequestContext(string BaseUrl, string? Who = null, string? Source = null, string? CorrelationId = null)
{
    /// <summary>What the caller may see and do; unrestricted while auth is off and for the engine's own work.</summary>
    public AccessPolicy Access { get; init; } = AccessPolicy.Unrestricted;

    /// <summary>The writes of this request already recorded with their data (shared by every context of one request).</summary>
    public Audit.AuditedWrites AuditedWrites { get; init; } = new();

    /// <summary>The OAuth client of the request (audit's client agent); null while auth is off.</summary>
    public string? ClientId { get; init; }

    /// <summary>The person as a FHIR reference (<c>fhirUser</c>), for audit's user agent.</summary>
    public string? User { get; init; }

    /// <summary>The token's purposes of use, for audit.</summary>
    public IReadOnlyList<string> PurposeOfUse { get; init; } = [];

    /// <summary>The client's network address, for audit.</summary>
    public string? NetworkAddress { get; init; }
}
