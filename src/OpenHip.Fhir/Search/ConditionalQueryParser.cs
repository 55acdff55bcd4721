using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Parses the query of a conditional interaction (If-None-Exist, PUT/DELETE Type?query, Type?query references)
/// into a token query. Only token parameters and _id are indexed before the search issue lands; anything else is
/// refused rather than silently ignored, because ignoring a criterion would match too much.
/// </summary>
public sealed class ConditionalQueryParser(SearchParameterRegistry registry)
{
    public TokenQuery Parse(string type, string query, int limit)
    {
        string trimmed = query.StartsWith('?') ? query[1..] : query;
        if (trimmed.Length == 0)
        {
            throw FhirException.PreconditionFailed($"A conditional {type} interaction needs search criteria");
        }

        List<TokenClause> clauses = [];
        foreach (string pair in trimmed.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw FhirException.BadRequest($"Malformed search criterion '{pair}'");
            }

            string name = Uri.UnescapeDataString(pair[..eq]);
            string value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (name.Contains(':', StringComparison.Ordinal) || name.Contains('.', StringComparison.Ordinal))
            {
                throw FhirException.NotSupported($"Modifiers and chains are not supported in conditional criteria yet: '{name}'");
            }

            if (name != "_id")
            {
                SearchParameterInfo? parameter = registry.Find(type, name);
                if (parameter is null)
                {
                    throw FhirException.BadRequest($"Unknown search parameter '{name}' for {type}");
                }

                if (parameter.Type != Hl7.Fhir.Model.SearchParamType.Token)
                {
                    throw FhirException.NotSupported($"Only token parameters and _id can be used in conditional criteria yet: '{name}'");
                }
            }

            clauses.Add(new TokenClause(name, SplitValues(value, name == "_id")));
        }

        return new TokenQuery(type, clauses, limit);
    }

    private static List<TokenValue> SplitValues(string value, bool isId)
    {
        List<TokenValue> values = [];
        foreach (string part in SplitUnescaped(value, ','))
        {
            if (isId)
            {
                values.Add(new TokenValue(null, part));
                continue;
            }

            int bar = IndexOfUnescaped(part, '|');
            values.Add(bar < 0
                ? new TokenValue(null, Unescape(part))
                : new TokenValue(Unescape(part[..bar]), bar == part.Length - 1 ? null : Unescape(part[(bar + 1)..])));
        }

        return values;
    }

    // FHIR search values escape ',', '|' and '$' with a backslash.
    private static IEnumerable<string> SplitUnescaped(string value, char separator)
    {
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == separator)
            {
                yield return value[start..i];
                start = i + 1;
            }
        }

        yield return value[start..];
    }

    private static int IndexOfUnescaped(string value, char c)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == c)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value) =>
        value.Replace("\\,", ",", StringComparison.Ordinal).Replace("\\|", "|", StringComparison.Ordinal)
            .Replace("\\$", "$", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
