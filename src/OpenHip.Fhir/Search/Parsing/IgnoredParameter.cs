namespace OpenHip.Fhir.Search.Parsing;

/// <summary>A parameter (or part of one, such as a <c>_sort</c> key) that a lenient search did not apply, and why.</summary>
public sealed record IgnoredParameter(string Name, string Value, string Reason);
