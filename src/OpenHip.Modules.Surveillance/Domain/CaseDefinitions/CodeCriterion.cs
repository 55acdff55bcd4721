namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>
/// Codes of one code system, listed inline or named by a value set (resolved through the terminology module). A
/// listed ICD-10 code also covers its subdivisions (<c>A15</c> covers <c>A15.0</c>): notification rules name categories,
/// clinicians record the most specific code.
/// </summary>
internal sealed record CodeCriterion(string? System, IReadOnlyList<string> Codes, string? ValueSet)
{
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";

    public static bool CoversCode(string listed, string code) =>
        code.Length == listed.Length
            ? string.Equals(code, listed, StringComparison.OrdinalIgnoreCase)
            : code.Length > listed.Length && code[listed.Length] == '.' && code.StartsWith(listed, StringComparison.OrdinalIgnoreCase);
}
