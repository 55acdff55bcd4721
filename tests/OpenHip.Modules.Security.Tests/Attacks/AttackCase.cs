using System.Net;

namespace OpenHip.Modules.Security.Tests.Attacks;

/// <summary>
/// One request by one caller: the exact status it must get, the markers of foreign data its body must not contain,
/// and optionally a further check of the body and of the data afterwards.
/// </summary>
public sealed record AttackCase(string Caller, HttpMethod Method, string Path, HttpStatusCode Status, IReadOnlyList<string> Markers)
{
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/fhir+json";

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Checks the response body (only when the status matched).</summary>
    public Action<string>? Expect { get; init; }

    /// <summary>Checks the data afterwards, typically with hospital B's token.</summary>
    public Func<AttackFixture, Task>? Then { get; init; }

    /// <summary>A reason to skip: a product bug this case reveals.</summary>
    public string? Bug { get; init; }
}
