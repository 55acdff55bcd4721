namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>An outbreak with the rule that makes residents cases: age band and per-resident attack probability.</summary>
internal sealed record PlannedOutbreak(OutbreakDefinition Definition, ClinicalCode Disease, int MinAge, int MaxAge, double AttackProbability);
