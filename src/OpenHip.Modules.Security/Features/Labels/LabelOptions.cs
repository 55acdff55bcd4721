namespace OpenHip.Modules.Security.Features.Labels;

/// <summary><c>Security:Labels</c>: the security labels written on every resource at write.</summary>
public sealed class LabelOptions
{
    public const string SectionName = "Security:Labels";

    /// <summary>Label resources at write (data grade and sensitivity).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Data grade (1–5) per resource type, over the defaults (see docs/security.md).</summary>
    public Dictionary<string, int> Grades { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Sensitivity rules; empty: the shipped ones (PSY, HIV, SEX).</summary>
    public List<SensitivityRule> Sensitivity { get; init; } = [];

    internal IReadOnlyList<SensitivityRule> EffectiveSensitivity => Sensitivity.Count > 0 ? Sensitivity : DefaultSensitivity;

    internal static readonly SensitivityRule[] DefaultSensitivity =
    [
        new()
        {
            Label = SecurityLabels.ActCode + "|PSY",
            System = SecurityLabels.Icd10,
            Codes = ["F00-F99"],
            Source = "ICD-10 chapter V, Mental and behavioural disorders",
        },
        new()
        {
            Label = SecurityLabels.ActCode + "|HIV",
            System = SecurityLabels.Icd10,
            Codes = ["B20-B24", "Z21"],
            Source = "ICD-10 B20–B24 HIV disease, Z21 asymptomatic HIV infection status",
        },
        new()
        {
            Label = SecurityLabels.ActCode + "|HIV",
            System = SecurityLabels.Loinc,
            Codes = ["7917-8", "5221-7", "29893-5", "56888-1", "75622-1", "25836-8", "20447-9"],
            Source = "LOINC HIV antibody, antigen and RNA tests",
        },
        new()
        {
            Label = SecurityLabels.ActCode + "|SEX",
            System = SecurityLabels.Icd10,
            Codes = ["A50-A64", "O00-O08", "Z30-Z30", "N96-N97"],
            Source = "ICD-10 A50–A64 infections with a predominantly sexual mode of transmission, O00–O08 pregnancy with abortive outcome, Z30 contraceptive management, N96–N97 habitual aborter and female infertility",
        },
    ];
}
