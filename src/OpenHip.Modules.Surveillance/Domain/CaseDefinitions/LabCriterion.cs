namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>A laboratory test whose positive result makes a case; what counts as positive is <see cref="PositiveResults"/>.</summary>
internal sealed record LabCriterion(CodeCriterion Test, PositiveResults Positive);
