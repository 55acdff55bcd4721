using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The R4 parameters defined on Resource, which apply to every type. Firely's ModelInfo omits them (it lists only
/// DomainResource's <c>_text</c>), so they are declared here from the R4 definitions. <c>_query</c> is left out: it names
/// an operation-like query, not an indexed value.
/// </summary>
internal static class ResourceSearchParameters
{
    public static IReadOnlyList<SearchParameterInfo> All { get; } =
    [
        Define("_id", SearchParamType.Token, "Resource.id", "Logical id of this artifact"),
        Define("_lastUpdated", SearchParamType.Date, "Resource.meta.lastUpdated", "When the resource version last changed"),
        Define("_profile", SearchParamType.Uri, "Resource.meta.profile", "Profiles this resource claims to conform to"),
        Define("_security", SearchParamType.Token, "Resource.meta.security", "Security Labels applied to this resource"),
        Define("_source", SearchParamType.Uri, "Resource.meta.source", "Identifies where the resource comes from"),
        Define("_tag", SearchParamType.Token, "Resource.meta.tag", "Tags applied to this resource"),
    ];

    private static SearchParameterInfo Define(string code, SearchParamType type, string expression, string description) =>
        new("Resource", code, type, expression, $"http://hl7.org/fhir/SearchParameter/Resource-{code[1..]}", [], [], description);
}
