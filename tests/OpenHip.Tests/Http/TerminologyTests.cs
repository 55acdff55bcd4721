using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

/// <summary>The terminology operations and search modifiers over HTTP, against content written through the ordinary write path.</summary>
public sealed class TerminologyTests(TerminologyTests.Fixture server) : IClassFixture<TerminologyTests.Fixture>
{
    private const string System = "http://example.org/fhir/CodeSystem/dx";

    [Fact]
    public async Task Lookup_Get_AnswersDisplayDesignationsParentAndChild()
    {
        JsonNode body = await OkAsync($"CodeSystem/$lookup?system={System}&code=A1&displayLanguage=zh");

        Assert.Equal("糖尿病", Parameter(body, "display")!["valueString"]!.GetValue<string>());
        string[] properties = [.. Parameters(body, "property").Select(p => p!["part"]![0]!["valueCode"]!.GetValue<string>() + "=" + p["part"]![1]!["valueCode"]?.GetValue<string>())];
        Assert.Contains("parent=A", properties);
        Assert.Contains("child=A1.1", properties);
        Assert.Contains(Parameters(body, "designation"), d => d!["part"]!.AsArray().Any(p => p!["valueString"]?.GetValue<string>() == "糖尿病"));
    }

    [Fact]
    public async Task Lookup_UnknownSystem_404OperationOutcome()
    {
        using HttpResponseMessage response = await server.Client.GetAsync("CodeSystem/$lookup?system=http://example.org/none&code=x");

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lookup_VersionNotHeld_404NamingTheVersionHeld()
    {
        using HttpResponseMessage response = await server.Client.GetAsync($"CodeSystem/$lookup?system={System}&code=A&version=9");

        JsonNode outcome = await FhirAssert.OutcomeAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("'1'", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCode_CodeSystemInstanceLevel_ValidInvalidAndInactive()
    {
        Assert.True(Result(await OkAsync("CodeSystem/dx/$validate-code?code=A1.1")));
        Assert.False(Result(await OkAsync("CodeSystem/dx/$validate-code?code=ZZZ")));
        Assert.False(Result(await OkAsync("CodeSystem/dx/$validate-code?code=A1&display=Hypertension")));
        Assert.True(Result(await OkAsync("CodeSystem/dx/$validate-code?code=A1&display=糖尿病")));

        JsonNode inactive = await OkAsync("CodeSystem/dx/$validate-code?code=B");
        Assert.True(Result(inactive));
        Assert.Contains("inactive", Parameter(inactive, "message")!["valueString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(Result(await OkAsync("CodeSystem/dx/$validate-code?code=B&activeOnly=true")));
    }

    [Fact]
    public async Task ValidateCode_ValueSetPostWithCodeableConcept_ValidWhenAnyCodingIs()
    {
        string parameters = """
            {"resourceType":"Parameters","parameter":[
              {"name":"url","valueUri":"http://example.org/fhir/ValueSet/diabetes"},
              {"name":"codeableConcept","valueCodeableConcept":{"coding":[
                {"system":"http://other.org","code":"x"},{"system":"http://example.org/fhir/CodeSystem/dx","code":"A1.1"}]}}]}
            """;

        using HttpResponseMessage response = await server.Client.PostAsync("ValueSet/$validate-code", ServerFixture.Json(parameters));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Result(JsonNode.Parse(await response.Content.ReadAsStringAsync())!));
        Assert.False(Result(await OkAsync($"ValueSet/$validate-code?url=http://example.org/fhir/ValueSet/diabetes&system={System}&code=A2")));
    }

    [Fact]
    public async Task Subsumes_AnswersAllFourOutcomes()
    {
        Assert.Equal("subsumes", Outcome(await OkAsync($"CodeSystem/$subsumes?system={System}&codeA=A&codeB=A1.1")));
        Assert.Equal("subsumed-by", Outcome(await OkAsync($"CodeSystem/$subsumes?system={System}&codeA=A1.1&codeB=A1")));
        Assert.Equal("equivalent", Outcome(await OkAsync($"CodeSystem/$subsumes?system={System}&codeA=A2&codeB=A2")));
        Assert.Equal("not-subsumed", Outcome(await OkAsync($"CodeSystem/dx/$subsumes?codeA=A2&codeB=A1")));

        static string Outcome(JsonNode body) => Parameter(body, "outcome")!["valueCode"]!.GetValue<string>();
    }

    [Fact]
    public async Task Expand_ChineseAndEnglishTextFilter_PagingAndTotalOnly()
    {
        JsonNode chinese = await OkAsync("ValueSet/all-dx/$expand?filter=糖尿&displayLanguage=zh");
        Assert.Equal(["A1", "A1.1"], Codes(chinese));
        Assert.Equal("2型糖尿病", chinese["expansion"]!["contains"]![1]!["display"]!.GetValue<string>());

        JsonNode english = await OkAsync("ValueSet/all-dx/$expand?filter=DIABETES%20type");
        Assert.Equal(["A1.1"], Codes(english));

        JsonNode page = await OkAsync("ValueSet/all-dx/$expand?offset=1&count=2");
        Assert.Equal(5, page["expansion"]!["total"]!.GetValue<int>());
        Assert.Equal(2, Codes(page).Length);
        Assert.Contains(page["expansion"]!["parameter"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "offset" && p["valueInteger"]!.GetValue<int>() == 1);

        JsonNode totalOnly = await OkAsync("ValueSet/all-dx/$expand?count=0&activeOnly=true");
        Assert.Equal(4, totalOnly["expansion"]!["total"]!.GetValue<int>());
        Assert.Null(totalOnly["expansion"]!["contains"]);
    }

    [Fact]
    public async Task Expand_FilterIsAAndExcludeAndValueSetInclude()
    {
        Assert.Equal(["A1", "A1.1"], Codes(await OkAsync("ValueSet/$expand?url=http://example.org/fhir/ValueSet/diabetes")));
        Assert.Equal(["A1"], Codes(await OkAsync("ValueSet/$expand?url=http://example.org/fhir/ValueSet/diabetes-no-t2")));
    }

    [Fact]
    public async Task Translate_ForwardAndReverse()
    {
        JsonNode forward = await OkAsync($"ConceptMap/$translate?url=http://example.org/fhir/ConceptMap/dx-to-icd&system={System}&code=A1.1");
        Assert.True(Result(forward));
        JsonNode match = Parameters(forward, "match").Single()!;
        Assert.Equal("equivalent", match["part"]![0]!["valueCode"]!.GetValue<string>());
        Assert.Equal("E11", match["part"]![1]!["valueCoding"]!["code"]!.GetValue<string>());

        JsonNode reverse = await OkAsync("ConceptMap/dx-to-icd/$translate?system=http://hl7.org/fhir/sid/icd-10&code=E11&reverse=true");
        Assert.Equal("A1.1", Parameters(reverse, "match").Single()!["part"]![1]!["valueCoding"]!["code"]!.GetValue<string>());

        Assert.False(Result(await OkAsync($"ConceptMap/dx-to-icd/$translate?system={System}&code=A2")));
    }

    [Fact]
    public async Task Put_CodeSystemWithCycle_422AndNothingWritten()
    {
        long before = await server.VersionCountAsync();
        string cyclic = """
            {"resourceType":"CodeSystem","id":"cyclic","url":"http://example.org/fhir/CodeSystem/cyclic","status":"active","content":"complete","concept":[
              {"code":"a","property":[{"code":"parent","valueCode":"b"}]},
              {"code":"b","property":[{"code":"parent","valueCode":"a"}]}]}
            """;

        using HttpResponseMessage response = await server.Client.PutAsync("CodeSystem/cyclic", ServerFixture.Json(cyclic));

        JsonNode outcome = await FhirAssert.OutcomeAsync(response, (HttpStatusCode)422);
        Assert.Contains("cycle", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Search_BelowInNotInAbove_AnsweredThroughTheTerminology()
    {
        Assert.Equal(["obs-t2", "obs-diabetes"], await IdsAsync($"Observation?code:below={System}|A1&_sort=-_id"));
        Assert.Equal(["obs-t2", "obs-hypertension", "obs-diabetes"], await IdsAsync($"Observation?code:below={System}|A&_sort=-_id"));
        Assert.Equal(["obs-diabetes"], await IdsAsync($"Observation?code:above={System}|A1&_sort=-_id"));
        Assert.Equal(["obs-t2", "obs-diabetes"], await IdsAsync("Observation?code:in=http://example.org/fhir/ValueSet/diabetes&_sort=-_id"));
        Assert.Equal(["obs-hypertension"], await IdsAsync("Observation?code:not-in=http://example.org/fhir/ValueSet/diabetes&_sort=-_id"));
        Assert.Equal(["obs-t2", "obs-diabetes"], await IdsAsync($"Observation?code:below={System}|A1&status=final&_sort=-_id"));
    }

    [Fact]
    public async Task Search_InUnknownValueSet_404()
    {
        using HttpResponseMessage response = await server.Client.GetAsync("Observation?code:in=http://example.org/fhir/ValueSet/none");

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.NotFound);
    }

    private async Task<string[]> IdsAsync(string query)
    {
        JsonNode bundle = await OkAsync(query);
        return [.. (bundle["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!["id"]!.GetValue<string>())];
    }

    private async Task<JsonNode> OkAsync(string url)
    {
        using HttpResponseMessage response = await server.Client.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static bool Result(JsonNode body) => Parameter(body, "result")!["valueBoolean"]!.GetValue<bool>();

    private static JsonNode? Parameter(JsonNode body, string name) => Parameters(body, name).FirstOrDefault();

    private static IEnumerable<JsonNode?> Parameters(JsonNode body, string name) =>
        body["parameter"]!.AsArray().Where(p => p!["name"]!.GetValue<string>() == name);

    private static string[] Codes(JsonNode valueSet) =>
        [.. (valueSet["expansion"]!["contains"]?.AsArray() ?? []).Select(c => c!["code"]!.GetValue<string>())];

    /// <summary>A server holding a small hierarchy with Chinese and English names, value sets over it, a map and coded observations.</summary>
    public sealed class Fixture : ServerFixture, IAsyncLifetime
    {
        async Task IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            string[] resources =
            [
                """
                {"resourceType":"CodeSystem","id":"dx","url":"http://example.org/fhir/CodeSystem/dx","version":"1","name":"Dx","status":"active","content":"complete",
                 "concept":[
                  {"code":"A","display":"Disease","designation":[{"language":"zh","value":"疾病"}],"concept":[
                    {"code":"A1","display":"Diabetes mellitus","designation":[{"language":"zh","value":"糖尿病"}],"concept":[
                      {"code":"A1.1","display":"Type 2 diabetes mellitus","designation":[{"language":"zh","value":"2型糖尿病"}]}]},
                    {"code":"A2","display":"Hypertension","designation":[{"language":"zh","value":"高血压"}]}]},
                  {"code":"B","display":"Finding","property":[{"code":"status","valueCode":"retired"}]}]}
                """,
                """{"resourceType":"ValueSet","id":"all-dx","url":"http://example.org/fhir/ValueSet/all-dx","status":"active","compose":{"include":[{"system":"http://example.org/fhir/CodeSystem/dx"}]}}""",
                """{"resourceType":"ValueSet","id":"diabetes","url":"http://example.org/fhir/ValueSet/diabetes","status":"active","compose":{"include":[{"system":"http://example.org/fhir/CodeSystem/dx","filter":[{"property":"concept","op":"is-a","value":"A1"}]}]}}""",
                """{"resourceType":"ValueSet","id":"diabetes-no-t2","url":"http://example.org/fhir/ValueSet/diabetes-no-t2","status":"active","compose":{"include":[{"valueSet":["http://example.org/fhir/ValueSet/diabetes"]}],"exclude":[{"system":"http://example.org/fhir/CodeSystem/dx","concept":[{"code":"A1.1"}]}]}}""",
                """
                {"resourceType":"ConceptMap","id":"dx-to-icd","url":"http://example.org/fhir/ConceptMap/dx-to-icd","status":"active","group":[
                  {"source":"http://example.org/fhir/CodeSystem/dx","target":"http://hl7.org/fhir/sid/icd-10","element":[
                    {"code":"A1.1","target":[{"code":"E11","display":"Type 2 diabetes mellitus","equivalence":"equivalent"}]},
                    {"code":"A1","target":[{"code":"E14","equivalence":"wider"}]}]}]}
                """,
                Observation("obs-diabetes", "A1"),
                Observation("obs-t2", "A1.1"),
                Observation("obs-hypertension", "A2"),
            ];
            foreach (string json in resources)
            {
                JsonNode node = JsonNode.Parse(json)!;
                using HttpResponseMessage response = await Client.PutAsync($"{node["resourceType"]}/{node["id"]}", Json(json));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
        }

        private static string Observation(string id, string code) =>
            $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://example.org/fhir/CodeSystem/dx","code":"{{{code}}}"}]}}""";
    }
}
