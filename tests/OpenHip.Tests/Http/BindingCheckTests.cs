using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

/// <summary>Binding checks on write, against value sets stored on the server: required refuses, extensible warns, grammars by syntax.</summary>
public sealed class BindingCheckTests(BindingCheckTests.Fixture server) : IClassFixture<BindingCheckTests.Fixture>
{
    [Fact]
    public async Task Create_RequiredBindingViolated_422WithTheElementPathAndNothingWritten()
    {
        long before = await server.VersionCountAsync();

        using HttpResponseMessage response = await server.Client.PostAsync("Condition", ServerFixture.Json(Condition("bogus", "encounter-diagnosis")));

        JsonNode outcome = await FhirAssert.OutcomeAsync(response, (HttpStatusCode)422);
        Assert.Equal("Condition.clinicalStatus", outcome["issue"]![0]!["expression"]![0]!.GetValue<string>());
        Assert.Equal("code-invalid", outcome["issue"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Create_RequiredBindingMet_Created()
    {
        using HttpResponseMessage response = await server.Client.PostAsync("Condition", ServerFixture.Json(Condition("active", "encounter-diagnosis")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_ExtensibleBindingViolated_CreatedWithAWarningInTheOutcome()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "Condition") { Content = ServerFixture.Json(Condition("active", "something-else")) };
        request.Headers.Add("Prefer", "return=OperationOutcome");

        using HttpResponseMessage response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonNode outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        JsonNode warning = outcome["issue"]!.AsArray().Single(i => i!["severity"]!.GetValue<string>() == "warning")!;
        Assert.Equal("Condition.category[0]", warning["expression"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", HttpStatusCode.Created)]
    [InlineData("application/fhir+json", HttpStatusCode.Created)]
    [InlineData("plain text", (HttpStatusCode)422)]
    public async Task Create_MimeTypeBinding_CheckedBySyntax(string contentType, HttpStatusCode expected)
    {
        string document = $$$"""
            {"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"contentType":"{{{contentType}}}","data":"aGVsbG8="}}]}
            """;

        using HttpResponseMessage response = await server.Client.PostAsync("DocumentReference", ServerFixture.Json(document));

        Assert.True(expected == response.StatusCode, await response.Content.ReadAsStringAsync());
        if (expected != HttpStatusCode.Created)
        {
            JsonNode outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("DocumentReference.content[0].attachment.contentType", outcome["issue"]![0]!["expression"]![0]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("urn:ietf:bcp:47", "zh-Hans-CN", true)]
    [InlineData("urn:ietf:bcp:47", "sr-Latn-RS", true)]
    [InlineData("urn:ietf:bcp:47", "not a language", false)]
    [InlineData("http://unitsofmeasure.org", "mm[Hg]", true)]
    [InlineData("http://unitsofmeasure.org", "kg/m2", true)]
    [InlineData("http://unitsofmeasure.org", "furlongs", false)]
    public async Task ValidateCode_GrammarBasedSystems_CheckedBySyntax(string system, string code, bool valid)
    {
        string url = $"ValueSet/grammars/$validate-code?system={Uri.EscapeDataString(system)}&code={Uri.EscapeDataString(code)}";

        using HttpResponseMessage response = await server.Client.GetAsync(url);

        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(valid, body["parameter"]![0]!["valueBoolean"]!.GetValue<bool>());
    }

    private static string Condition(string clinicalStatus, string category) => $$"""
        {"resourceType":"Condition","subject":{"reference":"Patient/p1"},
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"{{clinicalStatus}}"}]},
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"{{category}}"}]}]}
        """;

    /// <summary>A server holding the core value sets the tests bind against, stored as ordinary resources.</summary>
    public sealed class Fixture : ServerFixture, IAsyncLifetime
    {
        async Task IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            string[] resources =
            [
                """
                {"resourceType":"CodeSystem","id":"condition-clinical","url":"http://terminology.hl7.org/CodeSystem/condition-clinical","status":"active","content":"complete","concept":[
                  {"code":"active","concept":[{"code":"recurrence"},{"code":"relapse"}]},{"code":"inactive","concept":[{"code":"remission"},{"code":"resolved"}]}]}
                """,
                """{"resourceType":"ValueSet","id":"condition-clinical","url":"http://hl7.org/fhir/ValueSet/condition-clinical","status":"active","compose":{"include":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical"}]}}""",
                """{"resourceType":"CodeSystem","id":"condition-category","url":"http://terminology.hl7.org/CodeSystem/condition-category","status":"active","content":"complete","concept":[{"code":"problem-list-item"},{"code":"encounter-diagnosis"}]}""",
                """{"resourceType":"ValueSet","id":"condition-category","url":"http://hl7.org/fhir/ValueSet/condition-category","status":"active","compose":{"include":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category"}]}}""",
                """{"resourceType":"ValueSet","id":"mimetypes","url":"http://hl7.org/fhir/ValueSet/mimetypes","status":"active","compose":{"include":[{"system":"urn:ietf:bcp:13"}]}}""",
                """{"resourceType":"ValueSet","id":"grammars","url":"http://example.org/fhir/ValueSet/grammars","status":"active","compose":{"include":[{"system":"urn:ietf:bcp:47"},{"system":"http://unitsofmeasure.org"}]}}""",
            ];
            foreach (string json in resources)
            {
                JsonNode node = JsonNode.Parse(json)!;
                using HttpResponseMessage response = await Client.PutAsync($"{node["resourceType"]}/{node["id"]}", Json(json));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
        }
    }
}
