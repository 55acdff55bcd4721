using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

/// <summary>
/// The hardening limits of issue #9 item 5 over real HTTP: each refusal is an OperationOutcome with its status and writes
/// nothing. Body size, JSON depth and Bundle entry count over Content-Length bodies are in <see cref="BadInputTests"/>.
/// </summary>
public sealed class HardeningLimitTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Xhtml = "http://www.w3.org/1999/xhtml";

    [Fact]
    public async Task Body_ChunkedOverTheSizeLimit_Is413()
    {
        long before = await server.VersionCountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "Patient")
        {
            Content = new ChunkedContent(ServerFixture.MaxBodyBytes + (256 * 1024)),
        };
        request.Content.Headers.ContentType = new("application/fhir+json");

        using HttpResponseMessage response = await SendTolerantAsync(request);

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Xml_DeeperThanTheLimit_Is400()
    {
        string deep = "<Patient xmlns=\"http://hl7.org/fhir\">"
            + string.Concat(Enumerable.Repeat("<extension url=\"http://x\">", 80))
            + string.Concat(Enumerable.Repeat("</extension>", 80))
            + "</Patient>";
        long before = await server.VersionCountAsync();

        using HttpResponseMessage response = await server.Client.PostAsync("Patient", ServerFixture.Json(deep, "application/fhir+xml"));

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Bundle_XmlOverTheEntryLimit_Is413BeforeParsing()
    {
        var builder = new StringBuilder("<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"batch\"/>");
        for (int i = 0; i <= ServerFixture.MaxBundleEntries; i++)
        {
            builder.Append("<entry><request><method value=\"GET\"/><url value=\"Patient/x\"/></request></entry>");
        }

        builder.Append("</Bundle>");

        using HttpResponseMessage response = await server.Client.PostAsync(string.Empty, ServerFixture.Json(builder.ToString(), "application/fhir+xml"));

        JsonNode outcome = await FhirAssert.OutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"the limit is {ServerFixture.MaxBundleEntries}", outcome.ToJsonString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> ActiveNarratives => new()
    {
        "<script>alert(1)</script>",
        "<p onclick=\"alert(1)\">x</p>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=\"http://evil.example/\"></iframe>",
        "<object data=\"x.swf\"></object>",
        "<embed src=\"x.swf\"/>",
        "<form action=\"http://evil.example/\"><input name=\"q\"/></form>",
        "<img src=\"javascript:alert(1)\"/>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
    };

    [Theory]
    [MemberData(nameof(ActiveNarratives))]
    public async Task Narrative_ActiveContent_Is422NamingTheElement(string content)
    {
        long before = await server.VersionCountAsync();

        foreach ((string mediaType, string body) in NarrativeBodies(content))
        {
            using HttpResponseMessage response = await server.Client.PostAsync("Patient", ServerFixture.Json(body, mediaType));

            JsonNode outcome = await FhirAssert.OutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
            Assert.Contains("Patient.text", outcome.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Narrative_BasicHtml_IsAccepted()
    {
        const string content = "<p><b>Li</b> Wei, <a href=\"http://example.org/about\">about</a></p><table><tr><td>x</td></tr></table><img src=\"#photo\" alt=\"photo\"/>";

        foreach ((string mediaType, string body) in NarrativeBodies(content))
        {
            using HttpResponseMessage response = await server.Client.PostAsync("Patient", ServerFixture.Json(body, mediaType));

            await FhirAssert.JsonAsync(response, HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Search_UrlLongerThanTheLimit_Is400()
    {
        string url = "Patient?name=" + new string('a', 1000) + string.Concat(Enumerable.Range(0, 9).Select(i => "&family=" + new string('b', 1000)));

        using HttpResponseMessage response = await server.Client.GetAsync(url);

        JsonNode outcome = await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("the limit is 8192", outcome.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ChainDeeperThanTheLimit_Is400()
    {
        using HttpResponseMessage response = await server.Client.GetAsync(
            "Observation?subject:Patient.general-practitioner:PractitionerRole.organization.partof.partof.partof.name=x");

        JsonNode outcome = await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("at most 4 references", outcome.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_MoreIterateIncludesThanTheLimit_Is400()
    {
        string url = "Observation?_include:iterate=Observation:subject&_include:iterate=Observation:has-member&_include:iterate=Observation:derived-from"
            + "&_include:iterate=Observation:specimen&_revinclude:iterate=Observation:subject&_revinclude:iterate=Provenance:target";

        using HttpResponseMessage response = await server.Client.GetAsync(url);

        JsonNode outcome = await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("_include:iterate", outcome.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_MoreParametersThanTheLimit_Is400()
    {
        string url = "Patient?" + string.Join('&', Enumerable.Range(0, 101).Select(i => "name=n" + i));

        using HttpResponseMessage response = await server.Client.GetAsync(url);

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_CountAboveTheMaximum_IsClampedAndTheSelfLinkSaysSo()
    {
        using HttpResponseMessage response = await server.Client.GetAsync("Patient?_count=999999");

        JsonNode bundle = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
        string self = bundle["link"]!.AsArray().First(l => l!["relation"]!.GetValue<string>() == "self")!["url"]!.GetValue<string>();
        Assert.Contains("_count=1000", self, StringComparison.Ordinal);
        Assert.DoesNotContain("999999", self, StringComparison.Ordinal);
    }

    private static IEnumerable<(string MediaType, string Body)> NarrativeBodies(string content)
    {
        string div = $"<div xmlns=\"{Xhtml}\">{content}</div>";
        yield return ("application/fhir+json", new JsonObject
        {
            ["resourceType"] = "Patient",
            ["text"] = new JsonObject { ["status"] = "generated", ["div"] = div },
        }.ToJsonString());
        yield return ("application/fhir+xml", $"<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>{div}</text></Patient>");
    }

    /// <summary>
    /// The server may answer 413 and close while the client is still sending; the response it already wrote is what counts,
    /// so a send failure after the status line is read is not a test failure.
    /// </summary>
    private async Task<HttpResponseMessage> SendTolerantAsync(HttpRequestMessage request) =>
        await server.Client.SendAsync(request, HttpCompletionOption.ResponseContentRead);

    /// <summary>A JSON body of the given size sent without Content-Length (Transfer-Encoding: chunked).</summary>
    private sealed class ChunkedContent(long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            byte[] head = Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">");
            await stream.WriteAsync(head);
            byte[] filler = Encoding.UTF8.GetBytes(new string('x', 64 * 1024));
            for (long written = head.Length; written < size; written += filler.Length)
            {
                await stream.WriteAsync(filler);
            }

            await stream.WriteAsync("</div>\"}}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
