using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Validation;

/// <summary>Every issue profile validation found, of any severity.</summary>
public sealed class ProfileValidationResult
{
    internal ProfileValidationResult(IReadOnlyList<FhirIssue> issues)
    {
        Issues = issues;
        IsValid = !issues.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
    }

    /// <summary>Errors, warnings and information, in the validator's order.</summary>
    public IReadOnlyList<FhirIssue> Issues { get; }

    /// <summary>True when no issue is an error or fatal; warnings do not make a resource invalid.</summary>
    public bool IsValid { get; }

    /// <summary>Throws <see cref="FhirErrorKind.Unprocessable"/> with all issues when the resource is not valid.</summary>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new FhirException(FhirErrorKind.Unprocessable, Issues);
        }
    }

    /// <summary>The outcome <c>$validate</c> answers with; FHIR requires at least one issue, so success says so.</summary>
    public OperationOutcome ToOperationOutcome()
    {
        OperationOutcome outcome = FhirIssue.ToOperationOutcome(Issues);
        if (outcome.Issue.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = "Validation successful, no issues found.",
            });
        }

        return outcome;
    }
}
