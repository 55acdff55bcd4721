namespace OpenHip.Modules.Terminology.Domain;

/// <summary>One code of an expansion; <see cref="Concept"/> is null when the code system is not held here.</summary>
internal sealed record ExpansionEntry(string System, string? Version, string Code, string? Display, bool Inactive, Concept? Concept)
{
    public string DisplayIn(string? language) => (Concept?.DisplayIn(language) ?? Display) ?? string.Empty;

    /// <summary>Folded display and designations for the text filter.</summary>
    public string SearchText => Concept?.SearchText ?? Domain.SearchText.Fold(Display ?? string.Empty);
}
