namespace OpenHip.Fhir.Search.Terminology;

/// <summary>One terminology-dependent token criterion.</summary>
/// <param name="Kind">What the value names.</param>
/// <param name="System">The code system for <see cref="TokenSetKind.Below"/> and <see cref="TokenSetKind.Above"/>; null for value sets.</param>
/// <param name="Value">A value set canonical URL (optionally <c>|version</c>) or a code.</param>
public sealed record TokenSetRequest(TokenSetKind Kind, string? System, string Value);
