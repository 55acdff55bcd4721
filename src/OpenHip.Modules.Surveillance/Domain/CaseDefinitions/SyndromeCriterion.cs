namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>
/// A syndromic grouping of Encounters: coded reasons (<c>Encounter.reasonCode</c>) and/or words of the chief complaint
/// (reason or type text), matched case-insensitively as substrings because chief complaints are free text.
/// </summary>
internal sealed record SyndromeCriterion(CodeCriterion? Reasons, IReadOnlyList<string> Keywords);
