using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// <c>_include</c> / <c>_revinclude</c> values: <c>Type:parameter</c>, <c>Type:parameter:TargetType</c>, <c>Type:*</c>,
/// and for <c>_include</c> a bare <c>*</c> (every reference of every type searched); <c>:iterate</c> (R3's
/// <c>:recurse</c>) applies them to included resources too.
/// </summary>
internal static class IncludeParser
{
    /// <returns>The directives, or an empty list with <paramref name="ignoredBecause"/> set when a lenient search skips it.</returns>
    public static IReadOnlyList<SearchInclude> Parse(
        SearchParameterRegistry registry,
        IReadOnlyList<string> types,
        RawParameter source,
        string? modifier,
        bool reverse,
        SearchHandling handling,
        out string? ignoredBecause)
    {
        ignoredBecause = null;
        if (modifier is not (null or "iterate" or "recurse"))
        {
            throw source.Invalid($"unknown modifier :{RawParameter.Shorten(modifier)} (only :iterate)");
        }

        bool iterate = modifier is not null;
        if (source.Value == "*")
        {
            return reverse
                ? throw source.Invalid("_revinclude needs a source type: Type:parameter or Type:*")
                : [.. types.Select(t => new SearchInclude(t, null, null, iterate))];
        }

        string[] parts = source.Value.Split(':');
        if (parts.Length is not (2 or 3) || Array.Exists(parts, p => p.Length == 0))
        {
            throw source.Invalid("expected Type:parameter or Type:parameter:TargetType");
        }

        string sourceType = parts[0];
        if (!ScopeParameters.IsResourceType(sourceType))
        {
            throw source.Invalid($"'{RawParameter.Shorten(sourceType)}' is not a resource type");
        }

        string? targetType = parts.Length == 3 ? parts[2] : null;
        if (targetType is not null && !ScopeParameters.IsResourceType(targetType))
        {
            throw source.Invalid($"'{RawParameter.Shorten(targetType)}' is not a resource type");
        }

        string? problem = null;
        SearchParameterInfo? parameter = parts[1] == "*" ? null : registry.Find(sourceType, parts[1]);
        if (parts[1] != "*" && parameter?.Type != SearchParamType.Reference)
        {
            problem = $"{sourceType} has no reference parameter '{RawParameter.Shorten(parts[1])}'";
        }
        else if (parameter is not null && targetType is not null)
        {
            ValueExpressionParser.CheckTargetType(parameter, targetType, source);
        }

        if (problem is null && !reverse && !iterate && !types.Contains(sourceType, StringComparer.Ordinal))
        {
            problem = $"{sourceType} is not searched here; use _include:iterate to include from included resources";
        }

        if (problem is not null)
        {
            if (handling == SearchHandling.Strict)
            {
                throw source.Invalid(problem);
            }

            ignoredBecause = problem;
            return [];
        }

        return [new SearchInclude(sourceType, parameter?.Code, targetType, iterate)];
    }
}
