using System.Security.Cryptography;
using System.Text;

namespace OpenHip.Modules.Surveillance.Domain.Counting;

/// <summary>
/// Deterministic resource ids: the same key always gives the same id, so a re-delivered event finds (and cannot
/// duplicate) what it wrote before. Hashed because keys hold other ids and may exceed FHIR's 64-character limit.
/// </summary>
internal static class SurveillanceIds
{
    public static string Of(string prefix, params string[] parts)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return prefix + "-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public static string CaseId(string disease, string residentKey, DateOnly anchor) =>
        Of("surv-case", disease, residentKey, anchor.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}
