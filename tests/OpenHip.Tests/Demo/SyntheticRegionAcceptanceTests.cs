using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Synthetic;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Demo;

/// <summary>The generated region is data the server accepts as it is: strict parsing and the R4 base profiles.</summary>
public sealed class SyntheticRegionAcceptanceTests(ProfileValidationOnWriteTests.ValidatingServer server)
    : IClassFixture<ProfileValidationOnWriteTests.ValidatingServer>
{
    [Fact]
    public async Task GeneratedRegion_EveryBundle_AcceptedWithProfileValidationOn()
    {
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = 25, Seed = 7 });
        long before = await server.VersionCountAsync();
        long expected = await PostAsync(generator.CreateSharedBundle());
        foreach (ResidentHistory resident in generator.GenerateResidents())
        {
            expected += await PostAsync(resident.Bundle);
        }

        Assert.Equal(before + expected, await server.VersionCountAsync());
    }

    private async Task<long> PostAsync(Bundle bundle)
    {
        using HttpResponseMessage response = await server.Client.PostAsync(string.Empty, ServerFixture.Json(FhirCodec.ToJsonString(bundle)));
        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
        return body["entry"]!.AsArray().Count;
    }
}
