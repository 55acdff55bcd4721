using OpenHip.Fhir.Api;

namespace OpenHip.Tests.Http;

public sealed class FhirApiOptionsTests
{
    [Fact]
    public void BasePath_AfterTheBaseUrlChanges_IsTheNewUrlsPath()
    {
        var options = new FhirApiOptions { BaseUrl = "http://127.0.0.1:8080/fhir/" };
        Assert.Equal("/fhir", options.BasePath);
        Assert.Equal("/fhir", options.BasePath);

        options.BaseUrl = "https://hip.example.org/region/r4";
        Assert.Equal("/region/r4", options.BasePath);

        options.BaseUrl = "http://localhost:5000";
        Assert.Equal(string.Empty, options.BasePath);
    }
}
