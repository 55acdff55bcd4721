namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>
/// One notifiable disease as surveillance recognises it: any diagnosis, positive lab result or syndromic encounter
/// it lists makes a case; records of the same resident within <see cref="EpisodeDays"/> of a case's date are the same
/// episode and are counted once.
/// </summary>
/// <param name="Id">Short stable key (<c>ili</c>, <c>hfmd</c>, ...); ids of cases and counts derive from it.</param>
/// <param name="Source">The published definition the codes come from (law, WS standard, WHO).</param>
internal sealed record CaseDefinition(
    string Id,
    string Name,
    string Source,
    CasePriority Priority,
    int EpisodeDays,
    IReadOnlyList<CodeCriterion> Conditions,
    IReadOnlyList<LabCriterion> Labs,
    IReadOnlyList<SyndromeCriterion> Syndromes);
