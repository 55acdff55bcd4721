namespace OpenHip.Modules.Terminology.Domain;

/// <summary>One $translate match: the equivalence (R4 ConceptMapEquivalence code) and the concept on the other side.</summary>
internal sealed record TranslationMatch(string Equivalence, string? System, string? Version, string? Code, string? Display, string Source);
