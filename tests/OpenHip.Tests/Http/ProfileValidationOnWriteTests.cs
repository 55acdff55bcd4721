using System.Net;

namespace OpenHip.Tests.Http;

public sealed class ProfileValidationOnWriteTests(ProfileValidationOnWriteTests.ValidatingServer server)
    : IClassFixture<ProfileValidationOnWriteTests.ValidatingServer>
{
    // Parses strictly, but breaks invariant obs-6 (dataAbsentReason only when there is no value).
    private const string InvariantBreakingObservation =
        """{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"5","dataAbsentReason":{"text":"lost"}}""";

    [Fact]
    public async Task Create_ProfileInvalid_Is422AndWritesNothing()
    {
        long before = await server.VersionCountAsync();
        using HttpResponseMessage response = await server.Client.PostAsync("Observation", ServerFixture.Json(InvariantBreakingObservation));
        await FhirAssert.OutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task TransactionEntry_ProfileInvalid_FailsTheWholeTransaction()
    {
        long before = await server.VersionCountAsync();
        string bundle = $$$"""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"resource":{{{InvariantBreakingObservation}}},"request":{"method":"POST","url":"Observation"}}]}
            """;
        using HttpResponseMessage response = await server.Client.PostAsync(string.Empty, ServerFixture.Json(bundle));
        await FhirAssert.OutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Create_ProfileValid_IsStored()
    {
        using HttpResponseMessage response = await server.Client.PostAsync("Observation", ServerFixture.Json(
            """{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"5"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public sealed class ValidatingServer : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
            new Dictionary<string, string?> { ["Fhir:ValidateProfilesOnWrite"] = "true" };
    }
}
