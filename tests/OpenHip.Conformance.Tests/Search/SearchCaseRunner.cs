using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>Sends one case to a server, follows its pages when asked, and lists every way the answer differs from the case.</summary>
public static class SearchCaseRunner
{
    private const int MaxPages = 50;

    public static async Task<IReadOnlyList<string>> RunAsync(SearchServer server, SearchCase searchCase)
    {
        var problems = new List<string>();
        using HttpRequestMessage request = SearchRequestFactory.Create(searchCase, server);
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        JsonObject? body = TryParse(await response.Content.ReadAsStringAsync());
        if ((int)response.StatusCode != searchCase.Status)
        {
            problems.Add($"answered {(int)response.StatusCode}, expected {searchCase.Status}{Diagnostics(body)}");
            return problems;
        }

        if (searchCase.IsError)
        {
            CheckErrorOutcome(body, problems);
            return problems;
        }

        if (body is null)
        {
            problems.Add("the answer is not JSON");
            return problems;
        }

        SearchBundleView first = SearchBundleView.Read(body);
        List<SearchBundleView> pages = searchCase.Pages is not null || searchCase.FollowNext
            ? await FollowAsync(server, searchCase, first, problems)
            : [first];
        problems.AddRange(pages.SelectMany(p => p.Problems).Distinct());
        CheckMatches(searchCase, pages, problems);
        CheckResultParameters(searchCase, first, pages, problems);
        return problems;
    }

    private static async Task<List<SearchBundleView>> FollowAsync(SearchServer server, SearchCase searchCase, SearchBundleView first, List<string> problems)
    {
        foreach (JsonObject resource in searchCase.InsertAfterFirstPage)
        {
            await server.PutAsync(resource);
        }

        var pages = new List<SearchBundleView> { first };
        for (string? next = first.Link("next"); next is not null; next = pages[^1].Link("next"))
        {
            if (pages.Count == MaxPages)
            {
                problems.Add($"the next links go on past {MaxPages} pages");
                break;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Accept.ParseAdd("application/fhir+json");
            using HttpResponseMessage response = await server.Client.SendAsync(request);
            JsonObject? body = TryParse(await response.Content.ReadAsStringAsync());
            if (!response.IsSuccessStatusCode || body is null)
            {
                problems.Add($"next link {next} answered {(int)response.StatusCode}{Diagnostics(body)}");
                break;
            }

            pages.Add(SearchBundleView.Read(body));
        }

        // A next link that leads to an empty last page is allowed; it is not a page of results.
        while (pages.Count > 1 && pages[^1].Matches.Count == 0)
        {
            pages.RemoveAt(pages.Count - 1);
        }

        return pages;
    }

    private static void CheckMatches(SearchCase searchCase, List<SearchBundleView> pages, List<string> problems)
    {
        List<string> actual = pages.SelectMany(p => p.Matches).ToList();
        string[] repeated = actual.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0)
        {
            problems.Add($"returned more than once: {string.Join(", ", repeated)}");
        }

        if (searchCase.PageSize is { } size && pages.Any(p => p.Matches.Count > size))
        {
            problems.Add($"a page holds more than {size} matches: {string.Join(" | ", pages.Select(p => p.Matches.Count))}");
        }

        if (searchCase.Pages is { } expectedPages)
        {
            string expectedText = string.Join(" | ", expectedPages.Select(p => string.Join(", ", p)));
            string actualText = string.Join(" | ", pages.Select(p => string.Join(", ", p.Matches)));
            if (expectedText != actualText)
            {
                problems.Add($"pages differ: expected [{expectedText}], got [{actualText}]");
            }

            return;
        }

        var expected = searchCase.Expect.SelectMany(g => g).ToHashSet(StringComparer.Ordinal);
        var allowed = searchCase.MayAlsoMatch.Concat(searchCase.InsertAfterFirstPage.Select(SearchFixture.Key)).ToHashSet(StringComparer.Ordinal);
        string[] missing = expected.Where(k => !actual.Contains(k)).ToArray();
        string[] unexpected = actual.Distinct().Where(k => !expected.Contains(k) && !allowed.Contains(k)).ToArray();
        if (missing.Length > 0)
        {
            problems.Add($"missing: {string.Join(", ", missing)}");
        }

        if (unexpected.Length > 0)
        {
            problems.Add($"not expected: {string.Join(", ", unexpected)}");
        }

        if (searchCase.Ordered && missing.Length == 0 && !InOrder(searchCase.Expect, actual.Where(expected.Contains).Distinct().ToList()))
        {
            problems.Add($"order: expected {Describe(searchCase.Expect)}, got {string.Join(", ", actual)}");
        }
    }

    /// <summary>Whether the matches come group by group; inside a tie group any order is right.</summary>
    private static bool InOrder(IReadOnlyList<IReadOnlyList<string>> groups, List<string> actual)
    {
        int at = 0;
        foreach (IReadOnlyList<string> group in groups)
        {
            if (!actual.Skip(at).Take(group.Count).ToHashSet(StringComparer.Ordinal).SetEquals(group))
            {
                return false;
            }

            at += group.Count;
        }

        return true;
    }

    private static void CheckResultParameters(SearchCase searchCase, SearchBundleView first, List<SearchBundleView> pages, List<string> problems)
    {
        if (searchCase.ExpectIncluded is { } expectedIncluded)
        {
            var included = pages.SelectMany(p => p.Included).ToHashSet(StringComparer.Ordinal);
            if (!included.SetEquals(expectedIncluded))
            {
                problems.Add($"included: expected {{{string.Join(", ", expectedIncluded.Order(StringComparer.Ordinal))}}}, got {{{string.Join(", ", included.Order(StringComparer.Ordinal))}}}");
            }
        }

        if (searchCase.ExpectTotal is { } total && first.Total != total)
        {
            problems.Add($"Bundle.total: expected {total}, got {first.Total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        if (searchCase.ExpectOutcome && !first.Outcomes.Any(o => o["resourceType"]?.GetValue<string>() == "OperationOutcome"))
        {
            problems.Add("no OperationOutcome entry with search.mode = outcome");
        }

        CheckSelfLink(searchCase, first.Link("self"), problems);
        foreach ((string key, ElementExpectation elements) in searchCase.Elements)
        {
            JsonObject? resource = pages.Select(p => p.Resources.GetValueOrDefault(key)).FirstOrDefault(r => r is not null);
            if (resource is null)
            {
                problems.Add($"{key} is not returned, so its elements cannot be checked");
                continue;
            }

            problems.AddRange(elements.Present.Where(e => !resource.ContainsKey(e)).Select(e => $"{key} lacks '{e}'"));
            problems.AddRange(elements.Absent.Where(resource.ContainsKey).Select(e => $"{key} carries '{e}'"));
        }
    }

    private static void CheckSelfLink(SearchCase searchCase, string? self, List<string> problems)
    {
        if (self is null || (searchCase.SelfLinkOmits.Count == 0 && searchCase.SelfLinkHas.Count == 0))
        {
            return;
        }

        var names = SearchRequestFactory.ParametersOf(self).Select(p => p.Key.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(searchCase.SelfLinkOmits.Where(names.Contains).Select(n => $"the self link {self} names '{n}', which was not used"));
        problems.AddRange(searchCase.SelfLinkHas.Where(n => !names.Contains(n)).Select(n => $"the self link {self} does not name '{n}', which was used"));
    }

    private static void CheckErrorOutcome(JsonObject? body, List<string> problems)
    {
        if (body?["resourceType"]?.GetValue<string>() != "OperationOutcome")
        {
            problems.Add("the error body is not an OperationOutcome");
        }
        else if (body["issue"]?.AsArray().Any(i => i?["severity"]?.GetValue<string>() is "error" or "fatal") != true)
        {
            problems.Add("the OperationOutcome has no issue of severity error or fatal");
        }
    }

    private static string Describe(IReadOnlyList<IReadOnlyList<string>> groups) =>
        string.Join(", ", groups.Select(g => g.Count == 1 ? g[0] : $"{{{string.Join(", ", g)}}}"));

    private static string Diagnostics(JsonObject? body)
    {
        string text = string.Join("; ", body?["issue"]?.AsArray().Select(i => i?["diagnostics"]?.GetValue<string>()).Where(d => d is not null) ?? []);
        return text.Length == 0 ? string.Empty : $" ({text[..Math.Min(text.Length, 300)]})";
    }

    private static JsonObject? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
