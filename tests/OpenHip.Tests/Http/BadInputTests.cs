using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OpenHip.Tests.Http;

/// <summary>
/// Every malformed or refused request gets an OperationOutcome with the right status and leaves the store exactly as it
/// was (the total number of versions in system history does not move).
/// </summary>
public sealed class BadInputTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, string, string, string, int> Requests => new()
    {
        // method, url, content type, body, expected status
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",", 400 },
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"colour\":\"blue\"}", 422 },
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":\"yes\"}", 422 },
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"birthDate\":\"1990-13-45\"}", 422 },
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"name\":{\"family\":\"Li\"}}", 422 },
        { "POST", "Patient", "application/fhir+json", "{\"active\":true}", 422 },
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Starship\"}", 422 },
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}", 400 },
        { "POST", "Patient", "application/fhir+json", "[1,2,3]", 422 },
        { "POST", "Patient", "application/fhir+json", "", 400 },
        { "POST", "Patient", "text/plain", "hello", 415 },
        { "POST", "Patient", "application/fhir+xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><Patient xmlns=\"http://hl7.org/fhir\"><active value=\"true\"/></Patient>", 400 },
        { "POST", "Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><active value=\"true\"/>", 400 },
        { "POST", "Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><wings value=\"2\"/></Patient>", 422 },
        { "POST", "Spaceship", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":true}", 404 },
        { "POST", "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script>alert(1)</script></div>\"}}", 422 },
        { "PUT", "Patient/abc", "application/fhir+json", "{\"resourceType\":\"Patient\",\"id\":\"xyz\"}", 400 },
        { "PUT", "Patient/abc", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":true}", 400 },
        { "PUT", "Patient/abc", "application/fhir+json", "{\"resourceType\":\"Observation\",\"id\":\"abc\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}", 400 },
        { "PUT", "Patient/bad$id!", "application/fhir+json", "{\"resourceType\":\"Patient\",\"id\":\"bad$id!\"}", 422 },
        { "PUT", "Patient/bad$id!", "application/fhir+json", "{\"resourceType\":\"Patient\",\"id\":\"good\"}", 400 },
        { "PUT", "Patient/" + "a123456789a123456789a123456789a123456789a123456789a123456789abcde", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":true}", 400 },
        { "PUT", "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":true}", 400 },
        { "PUT", "Patient?birthdate=1990", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":true}", 400 },
        { "DELETE", "Patient", "", "", 400 },
        { "DELETE", "Patient?nonsense=1", "", "", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":true}", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"document\"}", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"active\":true}}]}", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:3f6ad1a8-5b93-4d6c-9a51-2a0f1e3c7a10\",\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"fullUrl\":\"urn:uuid:3f6ad1a8-5b93-4d6c-9a51-2a0f1e3c7a10\",\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient?identifier=http://x|nobody\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}", 404 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/p2\"}}]}", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"same\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/same\"}},{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"same\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/same\"}}]}", 400 },
        { "POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"http://elsewhere.example/fhir/Patient\"}}]}", 400 },
        { "POST", "Patient/some-id", "application/fhir+json", "{\"resourceType\":\"Patient\",\"active\":true}", 405 },
        { "GET", "Patient/x/_history/one", "", "", 404 },
        { "GET", "_history?_count=many", "", "", 400 },
        { "GET", "_history?_since=yesterday", "", "", 400 },
        { "GET", "metadata?_format=application/pdf", "", "", 406 },
        { "GET", "Patient/nobody-here", "", "", 404 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadRequest_AnswersOutcomeWithStatus_AndWritesNothing(string method, string url, string contentType, string body, int status)
    {
        long before = await server.VersionCountAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (contentType.Length > 0)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using HttpResponseMessage response = await server.Client.SendAsync(request);
        await FhirAssert.OutcomeAsync(response, (HttpStatusCode)status);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task IfMatch_Garbage_Is400_AndStaleVersionIs412()
    {
        using HttpResponseMessage created = await server.Client.PutAsync("Patient/etag-bad", ServerFixture.Json("{\"resourceType\":\"Patient\",\"id\":\"etag-bad\"}"));
        long before = await server.VersionCountAsync();
        foreach ((string etag, HttpStatusCode status) in new[] { ("W/\"abc\"", HttpStatusCode.BadRequest), ("W/\"9\"", HttpStatusCode.PreconditionFailed) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "Patient/etag-bad") { Content = ServerFixture.Json("{\"resourceType\":\"Patient\",\"id\":\"etag-bad\",\"active\":true}") };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            using HttpResponseMessage response = await server.Client.SendAsync(request);
            await FhirAssert.OutcomeAsync(response, status);
        }

        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task ConditionalCreate_SeveralMatches_Is412()
    {
        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage r = await server.Client.PostAsync("Patient", ServerFixture.Json("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"http://x\",\"value\":\"twice\"}]}"));
        }

        long before = await server.VersionCountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json("{\"resourceType\":\"Patient\",\"active\":true}") };
        request.Headers.Add("If-None-Exist", "identifier=http://x|twice");
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        await FhirAssert.OutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Patch_MalformedFailingOrIdChanging_RefusedAndNothingWritten()
    {
        using HttpResponseMessage created = await server.Client.PutAsync("Patient/patch-bad", ServerFixture.Json("{\"resourceType\":\"Patient\",\"id\":\"patch-bad\",\"active\":true}"));
        long before = await server.VersionCountAsync();
        foreach ((string patch, HttpStatusCode status) in new[]
        {
            ("{\"op\":\"replace\"}", HttpStatusCode.BadRequest),
            ("[{\"op\":\"test\",\"path\":\"/active\",\"value\":false}]", HttpStatusCode.UnprocessableEntity),
            ("[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"other\"}]", HttpStatusCode.UnprocessableEntity),
            ("[{\"op\":\"add\",\"path\":\"/unknownThing\",\"value\":1}]", HttpStatusCode.UnprocessableEntity),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, "Patient/patch-bad") { Content = ServerFixture.Json(patch, "application/json-patch+json") };
            using HttpResponseMessage response = await server.Client.SendAsync(request);
            await FhirAssert.OutcomeAsync(response, status);
        }

        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Body_OverTheSizeLimit_Is413()
    {
        long before = await server.VersionCountAsync();
        string big = "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">" + new string('x', (int)ServerFixture.MaxBodyBytes) + "</div>\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json(big) };

        // With 100-continue the server can refuse before the client streams megabytes it will not read.
        request.Headers.ExpectContinue = true;
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        await FhirAssert.OutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Json_DeeperThanTheLimit_Is400()
    {
        string deep = "{\"resourceType\":\"Patient\",\"extension\":[" + string.Concat(Enumerable.Repeat("{\"url\":\"http://x\",\"extension\":[", 80)) + string.Concat(Enumerable.Repeat("]}", 80)) + "]}";
        long before = await server.VersionCountAsync();
        using HttpResponseMessage response = await server.Client.PostAsync("Patient", ServerFixture.Json(deep));
        await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Bundle_OverTheEntryLimit_Is413BeforeParsing()
    {
        var builder = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i <= ServerFixture.MaxBundleEntries; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append("{\"request\":{\"method\":\"GET\",\"url\":\"Patient/x\"}}");
        }

        builder.Append("]}");
        long before = await server.VersionCountAsync();
        using HttpResponseMessage response = await server.Client.PostAsync(string.Empty, ServerFixture.Json(builder.ToString()));
        await FhirAssert.OutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await server.VersionCountAsync());
    }
}
