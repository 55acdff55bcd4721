using System.Text.Json.Nodes;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>Top-level elements a returned resource must and must not carry (<c>_summary</c>, <c>_elements</c>).</summary>
public sealed record ElementExpectation(IReadOnlyList<string> Present, IReadOnlyList<string> Absent)
{
    public static ElementExpectation FromJson(JsonObject json) => new(Names(json["present"]), Names(json["absent"]));

    private static List<string> Names(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
}
