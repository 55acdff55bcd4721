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

    public static OperationOutcome ToOperationOutcome(IEnumerable<FhirIssue> issues)
    {
        var outcome = new OperationOutcome();
        foreach (FhirIssue issue in issues)
        {
            var component = new OperationOutcome.IssueComponent
            {
                Severity = issue.Severity,
                Code = issue.Code,
                Diagnostics = issue.Diagnostics,
            };
            if (issue.Expression is not null)
            {
                component.Expression = [issue.Expression];
            }

            outcome.Issue.Add(component);
        }

        return outcome;
    }
}
