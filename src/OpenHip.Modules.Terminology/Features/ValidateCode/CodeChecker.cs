using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Features.ValidateCode;

/// <summary>
/// The checks shared by CodeSystem and ValueSet $validate-code: the code must exist, a given display must be one of the
/// concept's names (display or a designation, compared without case), and an inactive code is valid with a message
/// saying so, unless the caller asked for active codes only.
/// </summary>
internal static class CodeChecker
{
    public static CodeCheck Check(CompiledCodeSystem system, string code, string? display, bool activeOnly, string? language)
    {
        if (system.Find(code) is not { } concept)
        {
            return new CodeCheck(false, $"Code '{code}' is not in CodeSystem '{system.Url}'", null);
        }

        return Check(concept.Code, concept.DisplayIn(language), concept, !concept.Active, display, activeOnly);
    }

    public static CodeCheck Check(string code, string? knownDisplay, Concept? concept, bool inactive, string? display, bool activeOnly)
    {
        if (inactive && activeOnly)
        {
            return new CodeCheck(false, $"Code '{code}' is inactive", knownDisplay);
        }

        if (display is not null && !IsKnownName(display, knownDisplay, concept))
        {
            return new CodeCheck(false, $"Display '{display}' is not a name of code '{code}' (expected '{knownDisplay}')", knownDisplay);
        }

        return new CodeCheck(true, inactive ? $"Code '{code}' is inactive" : null, knownDisplay);
    }

    private static bool IsKnownName(string display, string? knownDisplay, Concept? concept) =>
        knownDisplay is null
        || string.Equals(display, knownDisplay, StringComparison.OrdinalIgnoreCase)
        || string.Equals(display, concept?.Display, StringComparison.OrdinalIgnoreCase)
        || (concept?.Designations.Exists(d => string.Equals(d.Value, display, StringComparison.OrdinalIgnoreCase)) ?? false);
}
