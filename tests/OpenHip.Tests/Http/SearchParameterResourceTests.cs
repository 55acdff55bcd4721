using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Search;
using OpenHip.Hosting;

namespace OpenHip.Tests.Http;

/// <summary>Stored SearchParameter resources over HTTP: refused when unusable, active once written, active again after a restart.</summary>
public sealed class SearchParameterResourceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Nickname = """
        {"resourceType":"SearchParameter","id":"nickname","url":"http://openhip.org/fhir/SearchParameter/nickname","name":"nickname",
         "status":"active","description":"Given names used as nicknames","code":"nickname","base":["Patient"],"type":"string",
         "expression":"Patient.name.where(use='nickname').given"}
        """;

    [Fact]
    public async Task Put_ExpressionDoesNotCompile_400NamingTheExpressionAndNothingWritten()
    {
        long before = await server.VersionCountAsync();

        using HttpResponseMessage response = await server.Client.PutAsync("SearchParameter/broken", ServerFixture.Json(
            Nickname.Replace("\"nickname\"", "\"broken\"", StringComparison.Ordinal).Replace("where(use='nickname')", "where(", StringComparison.Ordinal)));

        var body = await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("SearchParameter.expression", body["issue"]![0]!["expression"]![0]!.GetValue<string>());
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Transaction_WithAnUnusableSearchParameter_FailsAsAWhole()
    {
        long before = await server.VersionCountAsync();
        string bundle = $$$"""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"resource":{{{Nickname.Replace("\"type\":\"string\"", "\"type\":\"composite\"", StringComparison.Ordinal)}}},
               "request":{"method":"PUT","url":"SearchParameter/nickname"}}]}
            """;

        using HttpResponseMessage response = await server.Client.PostAsync(string.Empty, ServerFixture.Json(bundle));

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task StoredSearchParameter_ActiveAfterWriteAndAfterRestart_GoneAfterDelete()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));
        try
        {
            await using (Running first = await Running.StartAsync(dataDirectory))
            {
                using HttpResponseMessage put = await first.Client.PutAsync("SearchParameter/nickname", ServerFixture.Json(Nickname));
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
                Assert.NotNull(first.Registry.Find("Patient", "nickname"));
            }

            await using (Running second = await Running.StartAsync(dataDirectory))
            {
                Assert.Equal(Hl7.Fhir.Model.SearchParamType.String, second.Registry.Find("Patient", "nickname")?.Type);
                using HttpResponseMessage delete = await second.Client.DeleteAsync("SearchParameter/nickname");
                Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
                Assert.Null(second.Registry.Find("Patient", "nickname"));
            }

            await using (Running third = await Running.StartAsync(dataDirectory))
            {
                Assert.Null(third.Registry.Find("Patient", "nickname"));
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private sealed class Running(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client => client;

        public SearchParameterRegistry Registry => app.Services.GetRequiredService<SearchParameterRegistry>();

        public static async Task<Running> StartAsync(string dataDirectory)
        {
            string root = $"http://127.0.0.1:{ServerFixture.FreePort()}";
            WebApplication app = await OpenHipServer.BuildAsync(
                null,
                new Dictionary<string, string?> { [ServerOptions.UrlsKey] = root, [ServerOptions.DataDirectoryKey] = dataDirectory, ["Security:Auth:Enabled"] = "false" },
                CancellationToken.None);
            await app.StartAsync();
            return new Running(app, new HttpClient { BaseAddress = new Uri(root + "/fhir/") });
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
