namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// <c>Prefer: handling=</c>: what happens to parameters the server does not know or does not support. Malformed
/// values of known parameters are refused either way.
/// </summary>
public enum SearchHandling
{
    /// <summary>The default: unknown or unsupported parameters are ignored and reported (self link, OperationOutcome).</summary>
    Lenient,

    /// <summary>Unknown or unsupported parameters are refused with 400.</summary>
    Strict,
}
