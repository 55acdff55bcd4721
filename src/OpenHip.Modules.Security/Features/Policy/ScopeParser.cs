using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>
/// SMART App Launch scopes, v1 (<c>.read</c>, <c>.write</c>, <c>.*</c>) and v2 (<c>.cruds</c> letters, any non-empty
/// subset in canonical order, optionally with a granular <c>?param=value</c>). A string that is not a valid resource
/// scope (openid, launch, a typo, letters out of order) is ignored: an unknown scope must never widen access.
/// </summary>
internal static partial class ScopeParser
{
    private const string V2Letters = "cruds";

    /// <summary>Every valid resource scope in a space-separated scope claim, in order; invalid ones are left out.</summary>
    public static IReadOnlyList<SmartScope> ParseAll(string? scopes)
    {
        if (string.IsNullOrWhiteSpace(scopes))
        {
            return [];
        }

        List<SmartScope> parsed = [];
        foreach (string scope in scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParse(scope, out SmartScope? result))
            {
                parsed.Add(result);
            }
        }

        return parsed;
    }

    public static bool TryParse(string scope, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SmartScope? result)
    {
        result = null;
        Match match = ScopePattern().Match(scope);
        if (!match.Success)
        {
            return false;
        }

        ScopeContext context = match.Groups["context"].Value switch
        {
            "patient" => ScopeContext.Patient,
            "user" => ScopeContext.User,
            _ => ScopeContext.System,
        };
        string type = match.Groups["type"].Value;
        if (type != "*" && !ModelInfo.IsKnownResource(type))
        {
            return false;
        }

        string permission = match.Groups["permission"].Value;
        string? query = match.Groups["query"].Success ? match.Groups["query"].Value : null;
        AccessRights? rights = permission switch
        {
            "read" => AccessRights.Read | AccessRights.Search,
            "write" => AccessRights.Create | AccessRights.Update | AccessRights.Delete,
            "*" => AccessRights.All,
            _ => V2Rights(permission),
        };

        // Granular queries are a v2 feature and need one concrete type to be parsed against.
        bool v1 = permission is "read" or "write" or "*";
        if (rights is null || (query is not null && (v1 || type == "*" || query.Length == 0)))
        {
            return false;
        }

        result = new SmartScope(context, type, rights.Value, query);
        return true;
    }

    /// <summary>v2 letters: a non-empty subset of c r u d s, each at most once, in that order (<c>.rs</c>, not <c>.sr</c>).</summary>
    private static AccessRights? V2Rights(string letters)
    {
        AccessRights rights = AccessRights.None;
        int position = 0;
        foreach (char letter in letters)
        {
            int index = V2Letters.IndexOf(letter, position);
            if (index < 0)
            {
                return null;
            }

            rights |= letter switch
            {
                'c' => AccessRights.Create,
                'r' => AccessRights.Read,
                'u' => AccessRights.Update,
                'd' => AccessRights.Delete,
                _ => AccessRights.Search,
            };
            position = index + 1;
        }

        return rights == AccessRights.None ? null : rights;
    }

    [GeneratedRegex(@"^(?<context>patient|user|system)/(?<type>\*|[A-Z][A-Za-z]{1,63})\.(?<permission>read|write|\*|[cruds]{1,5})(\?(?<query>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();
}
