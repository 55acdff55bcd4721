using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Validation;

/// <summary>Turns the Firely validator's OperationOutcome into engine issues.</summary>
internal static partial class ValidationIssueMapper
{
    public static List<FhirIssue> Map(OperationOutcome outcome)
    {
        var issues = new List<FhirIssue>(outcome.Issue.Count);
        foreach (OperationOutcome.IssueComponent component in outcome.Issue)
        {
            // Details.Text is the message; Diagnostics holds Firely's ElementDefinition trace, which is for us.
            string message = component.Details?.Text ?? component.Diagnostics ?? "Validation issue.";
            string? expression = component.Expression.FirstOrDefault() ?? component.Location.FirstOrDefault();
            issues.Add(new FhirIssue(
                component.Code ?? OperationOutcome.IssueType.Invalid,
                message,
                PointAtMember(expression, message),
                component.Severity ?? OperationOutcome.IssueSeverity.Error));
        }

        return issues;
    }

    // Cardinality issues are located at the parent ("Observation") and name the member only in the message;
    // the client needs the member itself ("Observation.status").
    private static string? PointAtMember(string? expression, string message)
    {
        if (expression is null)
        {
            return null;
        }

        Match match = MemberInMessage().Match(message);
        return match.Success ? $"{expression}.{match.Groups["member"].Value}" : expression;
    }

    [GeneratedRegex(@"^(?:Missing required member: '|Instance count at element ')(?<member>[A-Za-z][A-Za-z0-9_]*)'", RegexOptions.CultureInvariant)]
    private static partial Regex MemberInMessage();
}
