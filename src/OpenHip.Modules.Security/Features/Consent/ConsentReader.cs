using Hl7.Fhir.Model;
using FhirConsent = Hl7.Fhir.Model.Consent;

namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>
/// Reads a FHIR Consent the way IHE PCF does. Basic: a root <c>deny</c> provision (optionally with actors, purposes,
/// a period, and nested <c>permit</c> provisions naming institutions that keep access) opts the patient out; with
/// <c>securityLabel</c>s it withholds only labelled data. Advanced: a root <c>permit</c> whose nested <c>deny</c>
/// provisions each withhold something (labels, from actors, for purposes, in a period). Anything else in a Consent
/// (data references, nested permits with labels) is not interpreted and restricts nothing more.
/// </summary>
internal static class ConsentReader
{
    /// <summary>The directive, or null when the Consent is not active, has no patient, or denies nothing.</summary>
    public static ConsentDirective? Read(FhirConsent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        if (consent.Status != FhirConsent.ConsentState.Active || consent.Provision is not { } root || PatientId(consent.Patient) is not { } patient)
        {
            return null;
        }

        List<DenyRule> denials = [];
        if (root.Type == FhirConsent.ConsentProvisionType.Deny)
        {
            List<string> exceptions = [.. root.Provision.Where(p => p.Type == FhirConsent.ConsentProvisionType.Permit).SelectMany(p => Actors(p))];
            denials.Add(Rule(root, null, exceptions));
        }
        else if (root.Type == FhirConsent.ConsentProvisionType.Permit)
        {
            denials.AddRange(root.Provision.Where(p => p.Type == FhirConsent.ConsentProvisionType.Deny).Select(p => Rule(p, root, [])));
        }

        return denials.Count == 0 ? null : new ConsentDirective(consent.Id ?? string.Empty, patient, denials);
    }

    private static DenyRule Rule(FhirConsent.provisionComponent provision, FhirConsent.provisionComponent? parent, IReadOnlyList<string> exceptions)
    {
        Period? period = provision.Period ?? parent?.Period;
        return new DenyRule(
            [.. provision.SecurityLabel.Where(l => !string.IsNullOrEmpty(l.Code)).Select(l => l.System + "|" + l.Code).Distinct(StringComparer.Ordinal)],
            Actors(provision),
            exceptions,
            [.. provision.Purpose.Where(p => !string.IsNullOrEmpty(p.Code)).Select(p => p.Code!).Distinct(StringComparer.Ordinal)],
            period?.StartElement?.ToDateTimeOffset(TimeSpan.Zero),
            period?.EndElement?.ToDateTimeOffset(TimeSpan.Zero));
    }

    /// <summary>Institutions named by actor.reference: the literal reference, or the identifier value (how openhip_source is written).</summary>
    private static List<string> Actors(FhirConsent.provisionComponent provision) =>
        [.. provision.Actor.Select(a => a.Reference).SelectMany(r => new[] { r?.Reference, r?.Identifier?.Value }).OfType<string>().Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];

    private static string? PatientId(ResourceReference? reference) =>
        reference?.Reference is { } r && r.StartsWith("Patient/", StringComparison.Ordinal) && r.Length > 8 ? r[8..] : null;
}
