namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>A record that meets a case definition: whose it is, on which day (region time zone), and why.</summary>
internal sealed record CaseEvidence(CaseDefinition Definition, CaseBasis Basis, string PatientId, DateOnly Date);
