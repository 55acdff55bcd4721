using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// One search parameter as the client sent it (URL-decoded). Every error names it, so a client with twenty criteria
/// sees which one was wrong; values are shortened in messages because a refused value may be absurdly long.
/// </summary>
internal readonly record struct RawParameter(string Name, string Value)
{
    private const int MaxShownLength = 100;

    public FhirException Invalid(string problem) =>
        FhirException.BadRequest($"Search parameter '{Shorten(Name)}={Shorten(Value)}': {problem}");

    public FhirException NotSupported(string problem) =>
        FhirException.NotSupported($"Search parameter '{Shorten(Name)}={Shorten(Value)}': {problem}");

    public static string Shorten(string text) => text.Length <= MaxShownLength ? text : string.Concat(text.AsSpan(0, MaxShownLength), "…");
}
