using OpenHip.Tests.Http;

namespace OpenHip.Tests.Surveillance;

/// <summary>A server with case detection on (the shared fixture switches it off).</summary>
public sealed class SurveillanceServerFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Modules:Surveillance:DetectCases"] = "true",
        ["Fhir:OutboxPollInterval"] = "00:00:00.050",
    };
}
