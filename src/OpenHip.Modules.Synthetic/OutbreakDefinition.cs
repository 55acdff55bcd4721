namespace OpenHip.Modules.Synthetic;

/// <summary>An injected outbreak: disease (ICD-10), place (GB/T 2260 county code) and window (inclusive dates).</summary>
public sealed record OutbreakDefinition(
    string Id,
    string DiseaseCode,
    string DiseaseDisplay,
    string DivisionCode,
    DateOnly Start,
    DateOnly End);
