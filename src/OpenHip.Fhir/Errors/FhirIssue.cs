using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Errors;

/// <summary>One OperationOutcome issue: what went wrong, where (FHIRPath expression), how bad.</summary>
public sealed record FhirIssue(
    OperationOutcome.IssueType Code,
    string Diagnostics,
    string? Expression = null,
    OperationOutcome.IssueSeverity Severity = OperationOutcome.IssueSeverity.Error)
{
    public static FhirIssue Invalid(string diagnostics, string? expression = null) =>
        new(OperationOutcome.IssueType.Invalid, diagnostics, expression);

    public static FhirIssue Required(string expression) =>
        new(OperationOutcome.IssueType.Required, $"{expression} is required", expression);

    public static FhirIssue NotSupported(string diagnostics) =>
        new(OperationOutcome.IssueType.NotSupported, diagnostics);
}
