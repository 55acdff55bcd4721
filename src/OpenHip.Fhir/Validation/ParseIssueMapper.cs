using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Validation;

/// <summary>Turns Firely's deserialization exceptions into engine issues with usable FHIRPath expressions.</summary>
internal static class ParseIssueMapper
{
    internal const string ResourceTypeExpression = "resourceType";

    // Codes Firely raises when it cannot tell which resource type an object is (JSON102: resourceType not a
    // string, JSON103: no resourceType, PVAL130: unknown type). Everything else it reports at the same location
    // ("empty object", "empty element") is a consequence of that and only adds noise.
    private static readonly HashSet<string> ResourceTypeCodes = ["JSON102", "JSON103", "PVAL130"];

    public static List<FhirIssue> Map(DeserializationFailedException failure)
    {
        // For an unknown or missing resourceType Firely still returns a placeholder ("Patientx", "UnnamedResource_$this").
        string? rootType = failure.PartialResult?.TypeName is { } name && ModelInfo.IsKnownResource(name) ? name : null;
        return Map(failure.Exceptions, rootType);
    }

    private static List<FhirIssue> Map(IEnumerable<CodedException> exceptions, string? rootType)
    {
        var mapped = new List<(string? Path, bool IsTypeIssue, FhirIssue Issue)>();
        foreach (CodedException exception in exceptions)
        {
            bool isTypeIssue = ResourceTypeCodes.Contains(exception.ErrorCode);
            if (exception is ExtendedCodedException extended)
            {
                string? path = NormalizePath(extended.InstancePath, rootType, isTypeIssue);
                mapped.Add((path, isTypeIssue, new FhirIssue(
                    extended.IssueType,
                    WithLocation(extended.BaseErrorMessage, extended.LineNumber, extended.Position),
                    path,
                    extended.IssueSeverity)));
            }
            else
            {
                mapped.Add((null, isTypeIssue, FhirIssue.Invalid(exception.Message)));
            }
        }

        // Without a root type every other complaint ("unknown element 'active'") is only an echo of that one.
        if (rootType is null && mapped.Any(m => m.IsTypeIssue))
        {
            mapped.RemoveAll(m => !m.IsTypeIssue);
        }

        var typeIssuePaths = mapped.Where(m => m.IsTypeIssue).Select(m => m.Path).ToHashSet();
        var issues = new List<FhirIssue>(mapped.Count);
        var reportedTypeIssueAt = new HashSet<string?>();
        foreach ((string? path, bool isTypeIssue, FhirIssue issue) in mapped)
        {
            bool keep = !typeIssuePaths.Contains(path) || (isTypeIssue && reportedTypeIssueAt.Add(path));
            if (keep && !issues.Contains(issue))
            {
                issues.Add(issue);
            }
        }

        return issues;
    }

    public static string WithLocation(string message, long? lineNumber, long? position) =>
        lineNumber > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (line {lineNumber}, position {position})")
            : message;

    // Firely names the root "$this" in JSON and after the element in XML ("Patientx" for an unknown type), and
    // leaves the path empty when it never learnt the resource type.
    private static string? NormalizePath(string? path, string? rootType, bool isTypeIssue)
    {
        if (string.IsNullOrEmpty(path) || path == "$this")
        {
            return isTypeIssue ? ResourceTypeExpression : rootType;
        }

        if (isTypeIssue && !path.Contains('.', StringComparison.Ordinal))
        {
            return ResourceTypeExpression;
        }

        if (path.StartsWith("$this.", StringComparison.Ordinal))
        {
            return rootType is null ? path : string.Concat(rootType, path.AsSpan("$this".Length));
        }

        return path;
    }
}
