using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>Parameter look-ups over the types a (sub-)search runs on: a parameter applies only if every type defines it.</summary>
internal static class ScopeParameters
{
    /// <summary>The parameter when every type defines it with the same type; null otherwise.</summary>
    public static SearchParameterInfo? Resolve(SearchParameterRegistry registry, IReadOnlyList<string> types, string code)
    {
        SearchParameterInfo? first = null;
        foreach (string type in types)
        {
            SearchParameterInfo? parameter = registry.Find(type, code);
            if (parameter is null || (first is not null && parameter.Type != first.Type))
            {
                return null;
            }

            first ??= parameter;
        }

        return first;
    }

    /// <summary>Every type a reference parameter may point at from any of the types, in definition order.</summary>
    public static IReadOnlyList<string> Targets(SearchParameterRegistry registry, IReadOnlyList<string> types, string code) =>
        types.SelectMany(t => registry.Find(t, code)?.Targets ?? []).Distinct(StringComparer.Ordinal).ToList();

    public static string UnknownReason(IReadOnlyList<string> types, string code) =>
        types.Count == 1
            ? $"'{code}' is not a search parameter of {types[0]}"
            : $"'{code}' is not a search parameter of every type searched (a system search without _type takes Resource parameters only)";

    /// <summary>Why a known parameter cannot be searched, or null when it can.</summary>
    public static string? UnsupportedReason(SearchParameterInfo parameter) =>
        parameter.Type == SearchParamType.Special ? $"the special parameter '{parameter.Code}' is not supported"
        : string.IsNullOrEmpty(parameter.Expression) ? $"'{parameter.Code}' has no expression to index, so it cannot be searched"
        : null;

    public static IndexKind KindOf(SearchParamType type) => type switch
    {
        SearchParamType.String => IndexKind.String,
        SearchParamType.Token => IndexKind.Token,
        SearchParamType.Reference => IndexKind.Reference,
        SearchParamType.Date => IndexKind.Date,
        SearchParamType.Number => IndexKind.Number,
        SearchParamType.Quantity => IndexKind.Quantity,
        SearchParamType.Uri => IndexKind.Uri,
        SearchParamType.Composite => IndexKind.Composite,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Special parameters have no index"),
    };

    /// <summary>A type list for a message; reference parameters such as Observation.focus may target every type.</summary>
    public static string Describe(IReadOnlyList<string> types) =>
        types.Count <= 8 ? string.Join(", ", types) : string.Join(", ", types.Take(8)) + $" and {types.Count - 8} more";

    /// <summary>Every concrete resource type, in ordinal order: what a system search (and an access policy over it) covers.</summary>
    public static IReadOnlyList<string> AllResourceTypes { get; } = [.. ModelInfo.SupportedResources.Where(IsResourceType).Order(StringComparer.Ordinal)];

    public static bool IsResourceType(string type) => ModelInfo.IsKnownResource(type) && type is not ("Resource" or "DomainResource");
}
