using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Terminology;

/// <summary>A server with the default settings seeds its new store with the shipped terminology before it serves.</summary>
public sealed class ShippedTerminologyServeTests(ShippedTerminologyServeTests.Server server) : IClassFixture<ShippedTerminologyServeTests.Server>
{
    [Fact]
    public async Task Serve_NewStore_ServesTheNationalSetsAndTheCoreCodeSystems()
    {
        using HttpResponseMessage sex = await server.Client.GetAsync("CodeSystem/cn-sex");
        JsonNode gender = JsonNode.Parse(await server.Client.GetStringAsync("CodeSystem?url=http://hl7.org/fhir/administrative-gender&_total=accurate"))!;
        JsonNode divisions = JsonNode.Parse(await server.Client.GetStringAsync("CodeSystem?code=330000&_total=accurate"))!;

        Assert.Equal(HttpStatusCode.OK, sex.StatusCode);
        Assert.Equal(1, gender["total"]!.GetValue<int>());
        Assert.Equal("cn-administrative-division", divisions["entry"]![0]!["resource"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Serve_NewStore_ResolvesTheMpiIdentifierSystemsByNamingSystem()
    {
        JsonNode found = JsonNode.Parse(await server.Client.GetStringAsync("NamingSystem?value=http://openhip.org/sid/cn-resident-id&kind=identifier&_total=accurate"))!;

        Assert.Equal(1, found["total"]!.GetValue<int>());
        JsonNode system = found["entry"]![0]!["resource"]!;
        Assert.Equal("NI", system["type"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("GB 11643", system["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public sealed class Server : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Modules:Terminology:LoadCoreContent"] = "true",
            ["Modules:Terminology:LoadNationalContent"] = "true",
        };
    }
}
