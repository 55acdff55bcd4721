namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>What one stored, active Consent asks for: its patient and its denials.</summary>
internal sealed record ConsentDirective(string ConsentId, string PatientId, IReadOnlyList<DenyRule> Denials);
