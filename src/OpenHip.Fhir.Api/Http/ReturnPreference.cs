namespace OpenHip.Fhir.Api.Http;

/// <summary>Prefer: return=minimal | representation | OperationOutcome (R4 3.1.0.3.2).</summary>
internal enum ReturnPreference
{
    Representation,
    Minimal,
    OperationOutcome,
}
