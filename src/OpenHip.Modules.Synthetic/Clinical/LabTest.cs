namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>A quantitative lab test with its UCUM unit and sex-specific reference interval.</summary>
internal sealed record LabTest(ClinicalCode Code, string Unit, double MaleLow, double MaleHigh, double FemaleLow, double FemaleHigh, int Decimals);
