namespace OpenHip.Fhir.Api.Http;

/// <summary>The audit log could not take a request's record; the request fails (500) rather than go unrecorded.</summary>
internal sealed class AuditUnavailableException(Exception inner)
    : Exception("The audit record of this request could not be written", inner);
