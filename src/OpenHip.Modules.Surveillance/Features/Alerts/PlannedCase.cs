namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>
/// One count increment about to be stored, as the alert rules see it: a new case (<paramref name="Stream"/> <c>case</c>)
/// or a case's first record of one kind of evidence (<c>diagnosis</c>, <c>laboratory</c>, <c>syndromic</c>).
/// </summary>
internal sealed record PlannedCase(string CaseId, string Disease, string DiseaseName, bool HighPriority, string County, DateOnly Day, string Stream);
