namespace OpenHip.Modules.Security;

/// <summary>
/// The claims an OpenHIP access token carries (issued here or by a trusted OpenID Connect provider, mapped to these
/// names): what the authorization server writes and what the access policy is compiled from.
/// </summary>
public static class SmartClaims
{
    /// <summary>The user (practitioner, resident, operator) or, for backend services, the client.</summary>
    public const string Subject = "sub";

    public const string ClientId = "client_id";

    /// <summary>Granted scopes, space-separated (SMART v1 and v2 syntax).</summary>
    public const string Scope = "scope";

    /// <summary>Launch context: the patient id a patient-scoped token is bound to.</summary>
    public const string Patient = "patient";

    /// <summary>The user as a FHIR resource reference: <c>Practitioner/123</c>, <c>Patient/456</c>, <c>RelatedPerson/7</c>.</summary>
    public const string FhirUser = "fhirUser";

    /// <summary>The institution the caller writes for; becomes meta.source of their writes and is what consent compares.</summary>
    public const string Source = "openhip_source";

    /// <summary>Roles (one claim each): clinician, resident, operator, security-officer, researcher, ...</summary>
    public const string Role = "role";

    /// <summary>Purpose of use (v3 ActReason: TREAT, ETREAT, BTG, HPAYMT, PUBHLTH, HRESCH ...).</summary>
    public const string PurposeOfUse = "purpose_of_use";

    /// <summary><c>system</c> for SMART Backend Services (client credentials); absent for user tokens.</summary>
    public const string ClientKind = "openhip_client_kind";
}
