namespace OpenHip.Modules.Security.Tests.Http;

/// <summary>Claims of the callers the integration tests use, as the <c>X-Test-Claims</c> query string.</summary>
internal static class Callers
{
    public const string HospitalA = "urn:openhip:org:hospital-a";
    public const string HospitalB = "urn:openhip:org:hospital-b";

    /// <summary>A backend service with full access (seeds data as hospital A).</summary>
    public static string Setup => Of(("client_id", "setup"), ("openhip_client_kind", "system"), ("scope", "system/*.cruds"), ("openhip_source", HospitalA));

    public static string Clinician(string sub, string source) =>
        Of(("sub", sub), ("client_id", "ehr"), ("fhirUser", "Practitioner/" + sub), ("role", "clinician"), ("scope", "user/*.cruds"), ("openhip_source", source));

    public static string SystemClient(string source) =>
        Of(("client_id", "batch"), ("openhip_client_kind", "system"), ("scope", "system/*.rs"), ("openhip_source", source), ("role", "clinician"), ("purpose_of_use", "ETREAT"));

    public static string Of(params (string Type, string Value)[] claims) =>
        string.Join('&', claims.Select(c => Uri.EscapeDataString(c.Type) + "=" + Uri.EscapeDataString(c.Value)));
}
