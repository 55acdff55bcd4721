using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

internal static class FhirAssert
{
    public static async Task<JsonNode> OutcomeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/fhir+json", response.Content.Headers.ContentType?.ToString() ?? string.Empty, StringComparison.Ordinal);
        JsonNode body = JsonNode.Parse(text)!;
        Assert.Equal("OperationOutcome", body["resourceType"]!.GetValue<string>());
        Assert.NotEmpty(body["issue"]!.AsArray());
        return body;
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
