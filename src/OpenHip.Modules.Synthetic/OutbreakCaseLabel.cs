namespace OpenHip.Modules.Synthetic;

/// <summary>One generated outbreak case: the Condition that records it and who it belongs to.</summary>
public sealed record OutbreakCaseLabel(string OutbreakId, string ConditionId, string PatientId, string ResidentKey, DateOnly Onset);
