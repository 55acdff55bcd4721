namespace OpenHip.Fhir.Api.Http;

public enum FhirFormat
{
    Json,
    Xml,
}
