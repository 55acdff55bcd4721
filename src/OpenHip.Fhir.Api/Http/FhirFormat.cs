namespace OpenHip.Fhir.Api.Http;

internal enum FhirFormat
{
    Json,
    Xml,
}
