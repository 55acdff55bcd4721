using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

/// <summary>
/// The HTTP side of search: Bundle shape, links, paging, handling, POST _search, compartments, $everything,
/// $reindex and the CapabilityStatement. What each parameter matches is the conformance suite's job.
/// </summary>
public sealed class SearchApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private HttpClient Client => server.Client;

    private async Task PutAsync(string json)
    {
        JsonNode resource = JsonNode.Parse(json)!;
        using HttpResponseMessage response = await Client.PutAsync(
            $"{resource["resourceType"]}/{resource["id"]}", ServerFixture.Json(json));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> GetBundleAsync(string url)
    {
        using HttpResponseMessage response = await Client.GetAsync(url);
        return await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private static List<string> Ids(JsonNode bundle, string mode = "match") =>
        [.. (bundle["entry"]?.AsArray() ?? []).Where(e => e!["search"]!["mode"]!.GetValue<string>() == mode)
            .Select(e => $"{e!["resource"]!["resourceType"]}/{e["resource"]!["id"]}")];

    private static string? Link(JsonNode bundle, string relation) =>
        bundle["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == relation)?["url"]!.GetValue<string>();

    private async Task SeedFamilyAsync(string tag)
    {
        await PutAsync($$"""{"resourceType":"Organization","id":"{{tag}}-org","name":"Org {{tag}}"}""");
        for (int i = 0; i < 5; i++)
        {
            await PutAsync($$$"""{"resourceType":"Patient","id":"{{{tag}}}-p{{{i}}}","active":true,"name":[{"family":"{{{tag}}}","given":["G{{{i}}}"]}],"managingOrganization":{"reference":"Organization/{{{tag}}}-org"}}""");
        }

        await PutAsync($$$"""{"resourceType":"Observation","id":"{{{tag}}}-o1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/{{{tag}}}-p0"}}""");
        await PutAsync($$$"""{"resourceType":"Observation","id":"{{{tag}}}-o2","status":"final","code":{"text":"y"},"subject":{"reference":"Patient/{{{tag}}}-p0"}}""");
    }

    [Fact]
    public async Task Search_PagedByTwo_LinksWalkForwardAndBackOverEveryMatch()
    {
        await SeedFamilyAsync("paging");

        JsonNode first = await GetBundleAsync("Patient?family=paging&_count=2&_sort=given&_total=accurate");
        Assert.Equal("searchset", first["type"]!.GetValue<string>());
        Assert.Equal(5, first["total"]!.GetValue<int>());
        Assert.Null(Link(first, "previous"));

        var seen = new List<string>(Ids(first));
        JsonNode page = first;
        while (Link(page, "next") is { } next)
        {
            page = await GetBundleAsync(next);
            seen.AddRange(Ids(page));
        }

        JsonNode back = await GetBundleAsync(Link(page, "previous")!);

        Assert.Equal(["Patient/paging-p0", "Patient/paging-p1", "Patient/paging-p2", "Patient/paging-p3", "Patient/paging-p4"], seen);
        Assert.Equal(["Patient/paging-p2", "Patient/paging-p3"], Ids(back));
        Assert.Contains("_sort=given", Link(back, "self"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_UnknownParameter_LenientIgnoresAndSaysSoStrictRefuses()
    {
        await SeedFamilyAsync("lenient");

        JsonNode lenient = await GetBundleAsync("Patient?family=lenient&shoe-size=42");
        using var strictRequest = new HttpRequestMessage(HttpMethod.Get, "Patient?family=lenient&shoe-size=42");
        strictRequest.Headers.Add("Prefer", "handling=strict");
        using HttpResponseMessage strict = await Client.SendAsync(strictRequest);

        Assert.Equal(5, Ids(lenient).Count);
        Assert.DoesNotContain("shoe-size", Link(lenient, "self"), StringComparison.Ordinal);
        JsonNode outcome = lenient["entry"]!.AsArray().Single(e => e!["search"]!["mode"]!.GetValue<string>() == "outcome")!["resource"]!;
        Assert.Contains("shoe-size", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
        await FhirAssert.OutcomeAsync(strict, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostSearch_FormBody_AnswersLikeGet()
    {
        await SeedFamilyAsync("post");

        using var form = new FormUrlEncodedContent([new("family", "post"), new("given", "g3")]);
        using HttpResponseMessage posted = await Client.PostAsync("Patient/_search", form);
        JsonNode bundle = await FhirAssert.JsonAsync(posted, HttpStatusCode.OK);
        using HttpResponseMessage json = await Client.PostAsync("Patient/_search", ServerFixture.Json("{}"));

        Assert.Equal(["Patient/post-p3"], Ids(bundle));
        await FhirAssert.OutcomeAsync(json, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Search_IncludesAndCompartment_MarkIncludedEntries()
    {
        await SeedFamilyAsync("incl");

        JsonNode included = await GetBundleAsync("Observation?subject=Patient/incl-p0&_include=Observation:subject&_include:iterate=Patient:organization&_sort=_id");
        JsonNode compartment = await GetBundleAsync("Patient/incl-p0/Observation?_sort=-_id");

        Assert.Equal(["Observation/incl-o1", "Observation/incl-o2"], Ids(included));
        Assert.Equal(["Patient/incl-p0", "Organization/incl-org"], Ids(included, "include"));
        Assert.Equal(["Observation/incl-o2", "Observation/incl-o1"], Ids(compartment));
    }

    [Fact]
    public async Task Search_SummaryCountAndElements_ShapeTheAnswer()
    {
        await SeedFamilyAsync("shape");

        JsonNode count = await GetBundleAsync("Patient?family=shape&_summary=count");
        JsonNode elements = await GetBundleAsync("Patient?family=shape&_elements=name&_count=1");

        Assert.Equal(5, count["total"]!.GetValue<int>());
        Assert.Null(count["entry"]);
        JsonNode resource = elements["entry"]![0]!["resource"]!;
        Assert.NotNull(resource["name"]);
        Assert.Null(resource["managingOrganization"]);
    }

    [Theory]
    [InlineData("Patient?_count=-1")]
    [InlineData("Patient?birthdate=2020-13-01")]
    [InlineData("Patient?birthdate=xx2020")]
    [InlineData("Patient?name.family=x")]
    [InlineData("Patient?_cursor=garbage")]
    [InlineData("Observation?code:below=8480-6")]
    public async Task Search_BadInput_Is400WithOutcome(string url)
    {
        using HttpResponseMessage response = await Client.GetAsync(url);

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Everything_PagedByOne_ReturnsTheWholeCompartmentAndWhatItRefersTo()
    {
        await SeedFamilyAsync("every");

        var matches = new List<string>();
        var included = new List<string>();
        JsonNode page = await GetBundleAsync("Patient/every-p0/$everything?_count=1");
        long total = page["total"]!.GetValue<long>();
        matches.AddRange(Ids(page));
        included.AddRange(Ids(page, "include"));
        while (Link(page, "next") is { } next)
        {
            page = await GetBundleAsync(next);
            matches.AddRange(Ids(page));
            included.AddRange(Ids(page, "include"));
        }

        Assert.Equal(3, total);
        Assert.Equal(["Patient/every-p0", "Observation/every-o1", "Observation/every-o2"], matches);
        Assert.Contains("Organization/every-org", included);
    }

    [Fact]
    public async Task CustomSearchParameter_AfterReindex_FindsResourcesStoredBeforeIt()
    {
        await PutAsync("""{"resourceType":"Patient","id":"reindex-p","active":true,"gender":"female","birthDate":"1990-02-03","multipleBirthInteger":2}""");
        await PutAsync("""
            {"resourceType":"SearchParameter","id":"patient-birth-order","url":"http://openhip.org/fhir/SearchParameter/patient-birth-order",
             "name":"birth-order","status":"active","description":"Birth order of a multiple birth","code":"birth-order","base":["Patient"],
             "type":"number","expression":"Patient.multipleBirth.as(integer)"}
            """);

        JsonNode before = await GetBundleAsync("Patient?birth-order=2");
        using HttpResponseMessage started = await Client.PostAsync("$reindex", null);
        JsonNode job = await FhirAssert.JsonAsync(started, HttpStatusCode.Accepted);
        string id = job["parameter"]!.AsArray().First(p => p!["name"]!.GetValue<string>() == "job")!["valueString"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            using HttpResponseMessage poll = await Client.GetAsync($"$reindex?job={id}");
            status = poll.StatusCode;
        }
        while (status == HttpStatusCode.Accepted && DateTime.UtcNow < deadline);

        JsonNode after = await GetBundleAsync("Patient?birth-order=2");

        Assert.Empty(Ids(before));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["Patient/reindex-p"], Ids(after));
    }

    [Fact]
    public async Task CapabilityStatement_ListsEachTypesSearchParametersAndEverything()
    {
        JsonNode statement = await GetBundleAsync("metadata");
        JsonNode patient = statement["rest"]![0]!["resource"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Patient")!;

        JsonNode name = patient["searchParam"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "name")!;
        Assert.Equal("string", name["type"]!.GetValue<string>());
        Assert.Contains(patient["interaction"]!.AsArray(), i => i!["code"]!.GetValue<string>() == "search-type");
        Assert.Contains(patient["operation"]!.AsArray(), o => o!["name"]!.GetValue<string>() == "everything");
    }
}
