using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search;

/// <summary>The R4 search parameters: Firely's <see cref="ModelInfo.SearchParameters"/> plus those defined on Resource.</summary>
internal static class BuiltInSearchParameters
{
    private const string Hl7 = "http://hl7.org/fhir/SearchParameter/";

    /// <summary>
    /// R4 search.html#all. Firely's model carries none of the Resource-level parameters, yet _tag, _profile, _security
    /// and _source are ordinary indexed parameters, and _id and _lastUpdated have to be known to the search parser.
    /// </summary>
    private static readonly SearchParameterInfo[] ResourceLevel =
    [
        new("Resource", "_id", SearchParamType.Token, "Resource.id", Hl7 + "Resource-id", [], []),
        new("Resource", "_lastUpdated", SearchParamType.Date, "Resource.meta.lastUpdated", Hl7 + "Resource-lastUpdated", [], []),
        new("Resource", "_profile", SearchParamType.Uri, "Resource.meta.profile", Hl7 + "Resource-profile", [], []),
        new("Resource", "_security", SearchParamType.Token, "Resource.meta.security", Hl7 + "Resource-security", [], []),
        new("Resource", "_source", SearchParamType.Uri, "Resource.meta.source", Hl7 + "Resource-source", [], []),
        new("Resource", "_tag", SearchParamType.Token, "Resource.meta.tag", Hl7 + "Resource-tag", [], []),
    ];

    public static IReadOnlyList<SearchParameterInfo> All { get; } = Load();

    private static List<SearchParameterInfo> Load()
    {
        List<SearchParameterInfo> all = [];
        foreach (SearchParamDefinition definition in ModelInfo.SearchParameters)
        {
            if (definition.Resource is null || definition.Name is null)
            {
                continue;
            }

            all.Add(new SearchParameterInfo(
                definition.Resource,
                definition.Name,
                definition.Type,
                definition.Expression,
                definition.Url ?? string.Empty,
                definition.Target?.Select(t => t.ToString()).ToArray() ?? [],
                definition.Component?.Select(c => new SearchParameterComponentInfo(c.Definition, c.Expression)).ToArray() ?? [],
                definition.Description));
        }

        all.AddRange(ResourceLevel.Where(p => !all.Any(a => a.ResourceType == p.ResourceType && a.Code == p.Code)));
        return all;
    }
}
