using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>The metadata of a CodeSystem built from a file: the deployer's settings first, then the format's defaults.</summary>
internal static class CodeSystemHeader
{
    public static CodeSystem Create(TerminologyLoadSettings settings, string file, string? defaultUrl, string? defaultTitle, string? defaultVersion)
    {
        string url = settings.Url ?? defaultUrl
            ?? throw new TerminologyLoadException(file, null, "this format needs --url, the canonical URL of the CodeSystem");
        string id = Id(settings, url, file);
        return new CodeSystem
        {
            Id = id,
            Url = url,
            Version = settings.Version ?? defaultVersion,
            Name = settings.Name ?? StableIds.NameFrom(id),
            Title = settings.Title ?? defaultTitle,
            Status = PublicationStatus.Active,
            Experimental = false,
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
        };
    }

    /// <summary>The id a loaded resource gets: the deployer's, or one derived from its URL.</summary>
    public static string Id(TerminologyLoadSettings settings, string url, string file)
    {
        string? id = settings.Id ?? StableIds.FromUrl(url);
        return StableIds.IsValid(id)
            ? id!
            : throw new TerminologyLoadException(file, null, $"'{id}' is not a valid resource id; give one with --id");
    }

    /// <summary>Sets the total and, when any concept has children, what the nesting means.</summary>
    public static void Complete(CodeSystem codeSystem, List<CodeSystem.ConceptDefinitionComponent> roots, int count, CodeSystem.CodeSystemHierarchyMeaning meaning)
    {
        codeSystem.Concept = roots;
        codeSystem.Count = count;
        if (roots.Any(r => r.Concept.Count > 0))
        {
            codeSystem.HierarchyMeaning = meaning;
        }
    }
}
