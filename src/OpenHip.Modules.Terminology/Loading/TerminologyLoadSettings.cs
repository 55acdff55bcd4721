namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// What the deployer said about the content beyond the file itself: the format when the file name does not tell, and
/// the identity of the CodeSystem or ConceptMap that a CSV, ClaML or LOINC file becomes.
/// </summary>
public sealed record TerminologyLoadSettings
{
    /// <summary>Null: chosen per file from its name and header (see <see cref="TerminologyFileLoader"/>).</summary>
    public TerminologyFormat? Format { get; init; }

    /// <summary>The canonical URL; required for CSV and ConceptMap CSV, defaulted for ClaML (ICD-10) and LOINC.</summary>
    public string? Url { get; init; }

    /// <summary>The resource id; defaults to the URL's last segment, so loading the same content again updates it.</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Title { get; init; }

    public string? Version { get; init; }
}
