namespace OpenHip.Modules.Terminology.Domain;

/// <summary>One concept of a compiled code system; parents and children are indexes into the same concept table.</summary>
internal sealed class Concept(int index, string code, string? display, string? definition, bool active)
{
    public int Index => index;

    public string Code => code;

    public string? Display => display;

    public string? Definition => definition;

    /// <summary>False when the concept's status is retired/deprecated or its <c>inactive</c> property is true.</summary>
    public bool Active => active;

    public List<Designation> Designations { get; } = [];

    public List<ConceptProperty> Properties { get; } = [];

    public List<int> Parents { get; } = [];

    public List<int> Children { get; } = [];

    /// <summary>Display and designations folded by <see cref="SearchText"/>, one per line, for the expansion text filter.</summary>
    public string SearchText { get; set; } = string.Empty;

    /// <summary>The display in a language (exact tag, then its primary subtag), falling back to the plain display.</summary>
    public string? DisplayIn(string? language)
    {
        if (string.IsNullOrEmpty(language))
        {
            return display;
        }

        string primary = language.Split('-')[0];
        Designation? exact = Designations.Find(d => string.Equals(d.Language, language, StringComparison.OrdinalIgnoreCase));
        Designation? near = exact ?? Designations.Find(d => d.Language is { } l && string.Equals(l.Split('-')[0], primary, StringComparison.OrdinalIgnoreCase));
        return near?.Value ?? display;
    }
}
