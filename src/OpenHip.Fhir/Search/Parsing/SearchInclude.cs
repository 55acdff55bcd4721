namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// One <c>_include</c> or <c>_revinclude</c>: references from <paramref name="SourceType"/> through
/// <paramref name="Parameter"/> (null for <c>*</c>: every reference parameter), limited to <paramref name="TargetType"/>
/// when given. <paramref name="Iterate"/>: also applied to the resources earlier includes brought in.
/// </summary>
public sealed record SearchInclude(string SourceType, string? Parameter, string? TargetType, bool Iterate);
