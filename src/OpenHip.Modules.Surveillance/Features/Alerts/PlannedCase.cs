namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>A case about to be stored, as the alert rules see it.</summary>
internal sealed record PlannedCase(string CaseId, string Disease, string DiseaseName, bool HighPriority, string County, DateOnly Day);
