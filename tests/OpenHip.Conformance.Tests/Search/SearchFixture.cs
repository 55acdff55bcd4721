using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>One file of <c>Search/Data</c>: resources with fixed ids, written in order, and the searches over them.</summary>
public sealed record SearchFixture(string Name, IReadOnlyList<JsonObject> Resources, IReadOnlyList<SearchCase> Cases)
{
    public static SearchFixture Load(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        JsonObject json = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        List<JsonObject> resources = json["resources"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [];
        foreach (JsonObject resource in resources)
        {
            _ = Key(resource);
        }

        List<SearchCase> cases = json["cases"]!.AsArray().Select(c => SearchCase.FromJson(name, c!.AsObject())).ToList();
        string? duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new InvalidDataException($"{name}: two cases are named '{duplicate}'");
        }

        var known = resources.Select(Key).Concat(cases.SelectMany(c => c.InsertAfterFirstPage).Select(Key)).ToHashSet();
        foreach (SearchCase searchCase in cases)
        {
            string? stray = searchCase.ExpectedMatches.Concat(searchCase.ExpectIncluded ?? []).Concat(searchCase.MayAlsoMatch)
                .FirstOrDefault(id => !known.Contains(id));
            if (stray is not null)
            {
                throw new InvalidDataException($"{searchCase.Id}: expects {stray}, which the fixture does not write");
            }
        }

        return new SearchFixture(name, resources, cases);
    }

    /// <summary>"Type/id" of a fixture resource.</summary>
    public static string Key(JsonObject resource)
    {
        string? type = resource["resourceType"]?.GetValue<string>();
        string? id = resource["id"]?.GetValue<string>();
        return type is null || id is null
            ? throw new InvalidDataException($"a fixture resource without resourceType or id: {resource.ToJsonString()[..Math.Min(80, resource.ToJsonString().Length)]}")
            : $"{type}/{id}";
    }
}
