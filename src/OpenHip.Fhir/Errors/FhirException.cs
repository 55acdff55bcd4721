using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Errors;

/// <summary>A typed engine error carrying the OperationOutcome issues to return.</summary>
public sealed class FhirException : Exception
{
    public FhirException(FhirErrorKind kind, IReadOnlyList<FhirIssue> issues)
        : base(issues.Count > 0 ? issues[0].Diagnostics : kind.ToString())
    {
        Kind = kind;
        Issues = issues;
    }

    public FhirException(FhirErrorKind kind, FhirIssue issue)
        : this(kind, [issue])
    {
    }

    public FhirErrorKind Kind { get; }

    public IReadOnlyList<FhirIssue> Issues { get; }

    public static FhirException BadRequest(string diagnostics, string? expression = null) =>
        new(FhirErrorKind.BadRequest, FhirIssue.Invalid(diagnostics, expression));

    public static FhirException Unprocessable(string diagnostics, string? expression = null) =>
        new(FhirErrorKind.Unprocessable, FhirIssue.Invalid(diagnostics, expression));

    public static FhirException NotFound(string diagnostics) =>
        new(FhirErrorKind.NotFound, new FhirIssue(OperationOutcome.IssueType.NotFound, diagnostics));

    public static FhirException Gone(string diagnostics) =>
        new(FhirErrorKind.Gone, new FhirIssue(OperationOutcome.IssueType.Deleted, diagnostics));

    public static FhirException Conflict(string diagnostics) =>
        new(FhirErrorKind.Conflict, new FhirIssue(OperationOutcome.IssueType.Conflict, diagnostics));

    public static FhirException PreconditionFailed(string diagnostics) =>
        new(FhirErrorKind.PreconditionFailed, new FhirIssue(OperationOutcome.IssueType.Conflict, diagnostics));

    public static FhirException TooLarge(string diagnostics) =>
        new(FhirErrorKind.TooLarge, new FhirIssue(OperationOutcome.IssueType.TooLong, diagnostics));

    /// <summary>401: no valid access token (the HTTP edge adds <c>WWW-Authenticate: Bearer</c>).</summary>
    public static FhirException Unauthorized(string diagnostics) =>
        new(FhirErrorKind.Unauthorized, new FhirIssue(OperationOutcome.IssueType.Login, diagnostics));

    /// <summary>403: the caller is known but their access policy does not cover this.</summary>
    public static FhirException Forbidden(string diagnostics) =>
        new(FhirErrorKind.Forbidden, new FhirIssue(OperationOutcome.IssueType.Forbidden, diagnostics));

    public static FhirException NotSupported(string diagnostics) =>
        new(FhirErrorKind.BadRequest, FhirIssue.NotSupported(diagnostics));

    public OperationOutcome ToOperationOutcome() => FhirIssue.ToOperationOutcome(Issues);
}
