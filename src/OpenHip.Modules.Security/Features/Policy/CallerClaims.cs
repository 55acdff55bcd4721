using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>The claims a policy is compiled from, read once per request from the validated token.</summary>
/// <param name="Roles">Distinct, ordinal order, so the same roles in another order share one cached policy.</param>
internal sealed record CallerClaims(
    string? Subject,
    string? ClientId,
    string Scope,
    string? Patient,
    string? FhirUser,
    string? Source,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Purposes,
    bool IsSystem)
{
    /// <summary>The patient a resident user is (<c>fhirUser=Patient/x</c>), else null.</summary>
    public string? ResidentPatient => FhirUser is { } user && user.StartsWith("Patient/", StringComparison.Ordinal) && user.Length > 8 ? user[8..] : null;

    /// <summary>Who this is in logs, errors and audit: ids only.</summary>
    public string Describe() => IsSystem ? $"client {ClientId}" : $"user {Subject} via {ClientId}";

    /// <summary>A hash of everything the policy depends on: the cache key (two tokens with equal claims share a policy).</summary>
    public string Key()
    {
        var text = new StringBuilder();
        foreach (string? part in new[] { Subject, ClientId, Scope, Patient, FhirUser, Source, IsSystem ? "system" : "user" })
        {
            text.Append(part).Append('\n');
        }

        text.AppendJoin(' ', Roles).Append('\n').AppendJoin(' ', Purposes);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static CallerClaims From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);

        // Some token handlers split a scope claim into one claim per scope: join them back.
        string scope = string.Join(' ', principal.FindAll(SmartClaims.Scope).Select(c => c.Value));
        return new CallerClaims(
            One(principal, SmartClaims.Subject) ?? One(principal, ClaimTypes.NameIdentifier),
            One(principal, SmartClaims.ClientId),
            scope,
            One(principal, SmartClaims.Patient),
            One(principal, SmartClaims.FhirUser),
            One(principal, SmartClaims.Source),
            Many(principal, SmartClaims.Role, ClaimTypes.Role),
            Many(principal, SmartClaims.PurposeOfUse),
            string.Equals(One(principal, SmartClaims.ClientKind), "system", StringComparison.Ordinal));
    }

    private static string? One(ClaimsPrincipal principal, string type) =>
        principal.FindFirst(type)?.Value is { Length: > 0 } value ? value : null;

    private static string[] Many(ClaimsPrincipal principal, params string[] types) =>
        [.. types.SelectMany(principal.FindAll).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
