using System.Text.Json.Nodes;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>
/// One search of a fixture file and what the FHIR R4 specification says it answers. The fields are described in
/// <c>Search/Data/README.md</c>; a field this type does not know is an error, so a typo cannot silently weaken a case.
/// </summary>
/// <param name="Expect">The match entries as tie groups: in order between groups when <see cref="Ordered"/>, any order inside one.</param>
/// <param name="Pages">The match entries of each page, in order, when the case follows the <c>next</c> links page by page.</param>
/// <param name="Note">Why the expected answer is right: the specification section it comes from.</param>
public sealed record SearchCase(
    string Fixture,
    string Name,
    string Query,
    string Method,
    IReadOnlyDictionary<string, string> Headers,
    int Status,
    IReadOnlyList<IReadOnlyList<string>> Expect,
    bool Ordered,
    IReadOnlyList<string> MayAlsoMatch,
    IReadOnlyList<string>? ExpectIncluded,
    long? ExpectTotal,
    IReadOnlyList<IReadOnlyList<string>>? Pages,
    bool FollowNext,
    int? PageSize,
    IReadOnlyList<JsonObject> InsertAfterFirstPage,
    bool ExpectOutcome,
    IReadOnlyList<string> SelfLinkOmits,
    IReadOnlyList<string> SelfLinkHas,
    IReadOnlyDictionary<string, ElementExpectation> Elements,
    string? Note)
{
    private static readonly HashSet<string> KnownFields =
    [
        "name", "query", "method", "headers", "status", "expect", "ordered", "mayAlsoMatch", "expectIncluded", "expectTotal",
        "pages", "followNext", "pageSize", "insertAfterFirstPage", "expectOutcome", "selfLinkOmits", "selfLinkHas",
        "elements", "note",
    ];

    /// <summary>The theory row's name: fixture file and case.</summary>
    public string Id => $"{Fixture}/{Name}";

    public bool IsError => Status != 200;

    /// <summary>Every id the case expects among the matches, whatever the grouping.</summary>
    public IEnumerable<string> ExpectedMatches => Pages is null ? Expect.SelectMany(g => g) : Pages.SelectMany(p => p);

    public static SearchCase FromJson(string fixture, JsonObject json)
    {
        string name = Text(json, "name") ?? throw new InvalidDataException($"{fixture}: a case without a name");
        string? unknown = json.Select(p => p.Key).FirstOrDefault(k => !KnownFields.Contains(k));
        if (unknown is not null)
        {
            throw new InvalidDataException($"{fixture}/{name}: unknown field '{unknown}'");
        }

        var searchCase = new SearchCase(
            fixture,
            name,
            Text(json, "query") ?? throw new InvalidDataException($"{fixture}/{name}: no query"),
            Text(json, "method") ?? "GET",
            json["headers"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [],
            json["status"]?.GetValue<int>() ?? 200,
            Groups(json["expect"]) ?? [],
            json["ordered"]?.GetValue<bool>() ?? false,
            Strings(json["mayAlsoMatch"]) ?? [],
            Strings(json["expectIncluded"]),
            json["expectTotal"]?.GetValue<long>(),
            json["pages"]?.AsArray().Select(p => (IReadOnlyList<string>)Strings(p)!).ToList(),
            json["followNext"]?.GetValue<bool>() ?? false,
            json["pageSize"]?.GetValue<int>(),
            json["insertAfterFirstPage"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [],
            json["expectOutcome"]?.GetValue<bool>() ?? false,
            Strings(json["selfLinkOmits"]) ?? [],
            Strings(json["selfLinkHas"]) ?? [],
            json["elements"]?.AsObject().ToDictionary(p => p.Key, p => ElementExpectation.FromJson(p.Value!.AsObject())) ?? [],
            Text(json, "note"));
        searchCase.Validate(json);
        return searchCase;
    }

    private void Validate(JsonObject json)
    {
        if (Method is not ("GET" or "POST"))
        {
            throw new InvalidDataException($"{Id}: method must be GET or POST");
        }

        bool hasResult = json.ContainsKey("expect") || Pages is not null;
        if (IsError == hasResult)
        {
            throw new InvalidDataException($"{Id}: a 200 case needs 'expect' or 'pages'; an error case has neither");
        }

        if (InsertAfterFirstPage.Count > 0 && !FollowNext)
        {
            throw new InvalidDataException($"{Id}: 'insertAfterFirstPage' needs 'followNext'");
        }
    }

    private static string? Text(JsonObject json, string field) => json[field]?.GetValue<string>();

    private static List<string>? Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList();

    /// <summary>"expect": ["A/1", ["A/2", "A/3"]]: a string is a group of one, an array a tie group.</summary>
    private static List<IReadOnlyList<string>>? Groups(JsonNode? node) =>
        node?.AsArray().Select(n => n is JsonArray tie ? (IReadOnlyList<string>)Strings(tie)! : [n!.GetValue<string>()]).ToList();
}
