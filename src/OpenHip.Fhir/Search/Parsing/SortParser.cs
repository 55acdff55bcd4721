using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary><c>_sort=-date,status,_id</c>: keys in priority order, '-' for descending.</summary>
internal static class SortParser
{
    /// <returns>The keys applied and their text for the self link (ignored keys left out of both).</returns>
    public static (List<SortKey> Keys, List<string> Applied) Parse(
        SearchParameterRegistry registry,
        IReadOnlyList<string> types,
        RawParameter source,
        SearchHandling handling,
        List<IgnoredParameter> ignored)
    {
        List<SortKey> keys = [];
        List<string> applied = [];
        foreach (string item in source.Value.Split(','))
        {
            bool descending = item.StartsWith('-');
            string code = descending ? item[1..] : item;
            if (code.Length == 0)
            {
                throw source.Invalid("an empty sort key");
            }

            if (keys.Exists(k => k.Parameter == code))
            {
                throw source.Invalid($"'{RawParameter.Shorten(code)}' is sorted on twice");
            }

            SortKey? key = KeyFor(registry, types, code, descending, out string? problem);
            if (key is null)
            {
                if (handling == SearchHandling.Strict)
                {
                    throw source.Invalid(problem!);
                }

                ignored.Add(new IgnoredParameter(source.Name, item, problem!));
                continue;
            }

            keys.Add(key);
            applied.Add(item);
        }

        return (keys, applied);
    }

    private static SortKey? KeyFor(SearchParameterRegistry registry, IReadOnlyList<string> types, string code, bool descending, out string? problem)
    {
        problem = null;
        switch (code)
        {
            case "_id":
                return new SortKey(code, IndexKind.Token, descending);
            case "_lastUpdated":
                return new SortKey(code, IndexKind.Date, descending);
        }

        SearchParameterInfo? parameter = ScopeParameters.Resolve(registry, types, code);
        if (parameter is null)
        {
            problem = "cannot sort: " + ScopeParameters.UnknownReason(types, RawParameter.Shorten(code));
            return null;
        }

        problem = parameter.Type == SearchParamType.Composite
            ? $"cannot sort on the composite parameter '{code}'"
            : ScopeParameters.UnsupportedReason(parameter);
        return problem is null ? new SortKey(code, ScopeParameters.KindOf(parameter.Type), descending) : null;
    }
}
