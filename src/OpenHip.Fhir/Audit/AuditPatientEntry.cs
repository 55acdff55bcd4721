namespace OpenHip.Fhir.Audit;

/// <summary>One row of the audit log's patient index: event <paramref name="Id"/> is listed under <paramref name="Patient"/> at <paramref name="Recorded"/>.</summary>
public readonly record struct AuditPatientEntry(string Patient, long Id, DateTimeOffset Recorded);
