using System.ComponentModel.DataAnnotations;

namespace OpenHip.Fhir.Validation;

/// <summary>Limits the strict parser applies before any FHIR content is looked at.</summary>
public sealed record FhirParserOptions
{
    public const string SectionName = "Fhir:Parser";

    /// <summary>Default options: a nesting depth of 64.</summary>
    public static FhirParserOptions Default { get; } = new();

    /// <summary>
    /// Deepest nesting of JSON objects/arrays or XML elements accepted. Firely's deserializers recurse per level,
    /// so an unbounded depth lets one request exhaust the stack; real resources stay well under 30.
    /// </summary>
    [Range(1, 1000)]
    public int MaxDepth { get; init; } = 64;
}
