namespace OpenHip.Modules.Synthetic.Clinical;

internal sealed record Medication(ClinicalCode Code, string DoseText, int DailyDoses, int DaysSupply);
