using Hl7.Fhir.Model;
using OpenHip.Fhir.Capabilities;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// With auth on, the CapabilityStatement says so the way SMART App Launch asks: the SMART-on-FHIR security service and
/// the oauth-uris extension naming the authorize, token and introspection endpoints (discovery has the rest).
/// </summary>
internal sealed class SmartCapability(AuthOptions options) : ICapabilityContributor
{
    private const string OAuthUris = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    public void Contribute(CapabilityStatement.RestComponent rest)
    {
        ArgumentNullException.ThrowIfNull(rest);
        var security = new CapabilityStatement.SecurityComponent
        {
            Cors = true,
            Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
            Description = "SMART App Launch 2.x and Backend Services; discovery at .well-known/smart-configuration",
        };
        var uris = new Extension { Url = OAuthUris };
        uris.Extension.Add(new Extension("authorize", new FhirUri(AuthEndpoints.Url(options, AuthEndpoints.Authorize))));
        uris.Extension.Add(new Extension("token", new FhirUri(AuthEndpoints.Url(options, AuthEndpoints.Token))));
        uris.Extension.Add(new Extension("introspect", new FhirUri(AuthEndpoints.Url(options, AuthEndpoints.Introspect))));
        security.Extension.Add(uris);
        rest.Security = security;
    }
}
