using System.Diagnostics.CodeAnalysis;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Validation;

/// <summary>The outcome of strict parsing: a resource, or the issues explaining why there is none.</summary>
public sealed class FhirParseResult
{
    private FhirParseResult(Resource? resource, FhirErrorKind? errorKind, IReadOnlyList<FhirIssue> issues)
    {
        Resource = resource;
        ErrorKind = errorKind;
        Issues = issues;
    }

    /// <summary>The parsed resource; set only when <see cref="Succeeded"/>.</summary>
    public Resource? Resource { get; }

    /// <summary>
    /// <see cref="FhirErrorKind.BadRequest"/> when the body is not well-formed JSON/XML (or breaks a parser limit),
    /// <see cref="FhirErrorKind.Unprocessable"/> when it is well-formed but not a valid FHIR resource; null on success.
    /// </summary>
    public FhirErrorKind? ErrorKind { get; }

    /// <summary>One issue per problem found; empty on success.</summary>
    public IReadOnlyList<FhirIssue> Issues { get; }

    [MemberNotNullWhen(true, nameof(Resource))]
    [MemberNotNullWhen(false, nameof(ErrorKind))]
    public bool Succeeded => ErrorKind is null;

    /// <summary>The resource, or a <see cref="FhirException"/> carrying <see cref="ErrorKind"/> and the issues.</summary>
    public Resource GetResourceOrThrow() =>
        Succeeded ? Resource : throw new FhirException(ErrorKind.Value, Issues);

    internal static FhirParseResult Success(Resource resource) => new(resource, null, []);

    internal static FhirParseResult Failure(FhirErrorKind kind, IReadOnlyList<FhirIssue> issues) => new(null, kind, issues);

    internal static FhirParseResult Failure(FhirErrorKind kind, FhirIssue issue) => new(null, kind, [issue]);
}
