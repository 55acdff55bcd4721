namespace OpenHip.Fhir.Errors;

/// <summary>The one mapping from engine error kinds to HTTP status codes (also used inside batch responses).</summary>
public static class FhirErrorStatus
{
    public static int Of(FhirErrorKind kind) => kind switch
    {
        FhirErrorKind.BadRequest => 400,
        FhirErrorKind.Unauthorized => 401,
        FhirErrorKind.Forbidden => 403,
        FhirErrorKind.NotFound => 404,
        FhirErrorKind.MethodNotAllowed => 405,
        FhirErrorKind.NotAcceptable => 406,
        FhirErrorKind.Conflict => 409,
        FhirErrorKind.Gone => 410,
        FhirErrorKind.PreconditionFailed => 412,
        FhirErrorKind.TooLarge => 413,
        FhirErrorKind.UnsupportedMediaType => 415,
        FhirErrorKind.Unprocessable => 422,
        FhirErrorKind.NotImplemented => 501,
        _ => 500,
    };
}
