using System.Text.Json.Nodes;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>What a case checks in one searchset page: matches in order, includes, outcome entries, total and links.</summary>
public sealed class SearchBundleView
{
    private SearchBundleView(JsonObject bundle)
    {
        Bundle = bundle;
        foreach (JsonObject entry in bundle["entry"]?.AsArray().Select(e => e!.AsObject()) ?? [])
        {
            JsonObject? resource = entry["resource"]?.AsObject();
            string mode = entry["search"]?["mode"]?.GetValue<string>() ?? "match";
            if (resource is null)
            {
                Problems.Add("an entry without a resource");
                continue;
            }

            string key = Key(entry, resource, mode);
            switch (mode)
            {
                case "match":
                    Matches.Add(key);
                    Resources.TryAdd(key, resource);
                    break;
                case "include":
                    Included.Add(key);
                    Resources.TryAdd(key, resource);
                    break;
                case "outcome":
                    Outcomes.Add(resource);
                    break;
                default:
                    Problems.Add($"entry {key} has search.mode '{mode}'");
                    break;
            }
        }
    }

    public JsonObject Bundle { get; }

    public List<string> Matches { get; } = [];

    public List<string> Included { get; } = [];

    public List<JsonObject> Outcomes { get; } = [];

    /// <summary>Returned resources by "Type/id", matches and includes.</summary>
    public Dictionary<string, JsonObject> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>Shape faults found while reading: every case reports them.</summary>
    public List<string> Problems { get; } = [];

    public long? Total => Bundle["total"]?.GetValue<long>();

    public string? Link(string relation) => Bundle["link"]?.AsArray()
        .FirstOrDefault(l => l?["relation"]?.GetValue<string>() == relation)?["url"]?.GetValue<string>();

    public static SearchBundleView Read(JsonObject body)
    {
        var view = new SearchBundleView(body);
        if (body["resourceType"]?.GetValue<string>() != "Bundle" || body["type"]?.GetValue<string>() != "searchset")
        {
            view.Problems.Add("the answer is not a searchset Bundle");
        }

        if (view.Link("self") is null)
        {
            view.Problems.Add("the Bundle has no self link (search.html#conformance: the server SHALL return the parameters it used)");
        }

        return view;
    }

    /// <summary>
    /// "Type/id" of a match or include. A returned resource always has an id (R4 resource.html#id); when it lacks one
    /// that is reported, and the entry is still identified by its fullUrl so the case's other checks can run.
    /// </summary>
    private string Key(JsonObject entry, JsonObject resource, string mode)
    {
        string type = resource["resourceType"]?.GetValue<string>() ?? "(no type)";
        string? id = resource["id"]?.GetValue<string>();
        if (id is not null || mode is not ("match" or "include"))
        {
            return $"{type}/{id}";
        }

        Problems.Add($"a returned {type} has no id (resource.html#id: only a resource being created lacks one)");
        string[] fullUrl = (entry["fullUrl"]?.GetValue<string>() ?? string.Empty).Split('/');
        return fullUrl.Length >= 2 && fullUrl[^2] == type ? $"{type}/{fullUrl[^1]}" : $"{type}/(no id)";
    }
}
