using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>A real OpenHIP server holding exactly one fixture file's resources, written by PUT in file order.</summary>
public sealed class SearchServer(IReadOnlyDictionary<string, string?> settings) : ServerFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => settings;

    /// <summary>Fixture text with the server's base URL in place of <c>{{base}}</c> (absolute references to this server).</summary>
    public string WithBase(string text) => text.Replace("{{base}}", BaseUrl, StringComparison.Ordinal);

    /// <summary>PUT Type/id: creates the resource with its fixture id, or updates it.</summary>
    public async Task PutAsync(JsonObject resource)
    {
        string key = SearchFixture.Key(resource);
        using HttpResponseMessage response = await Client.PutAsync(key, Json(WithBase(resource.ToJsonString())));
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new InvalidOperationException(
                $"PUT {key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<SearchServer> StartAsync(SearchFixture fixture, IReadOnlyDictionary<string, string?> settings)
    {
        var server = new SearchServer(settings);
        try
        {
            await server.InitializeAsync();
            foreach (JsonObject resource in fixture.Resources)
            {
                await server.PutAsync(resource);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
