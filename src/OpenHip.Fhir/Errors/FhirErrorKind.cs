namespace OpenHip.Fhir.Errors;

/// <summary>The engine's error categories; the HTTP edge maps each to one status in one place.</summary>
public enum FhirErrorKind
{
    /// <summary>400: malformed request, bad parameter, id mismatch.</summary>
    BadRequest,

    /// <summary>422: well-formed but invalid content (parse/validation failures of the resource itself).</summary>
    Unprocessable,
    NotFound,
    Gone,
    MethodNotAllowed,
    Conflict,
    PreconditionFailed,
    TooLarge,
    UnsupportedMediaType,
    NotAcceptable,
    Unauthorized,
    Forbidden,
    NotImplemented,

    /// <summary>500: a failure the engine did not anticipate; details stay in the log.</summary>
    Internal,
}
