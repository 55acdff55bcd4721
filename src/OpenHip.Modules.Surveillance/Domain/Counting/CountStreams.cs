using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

namespace OpenHip.Modules.Surveillance.Domain.Counting;

/// <summary>
/// The count series kept per disease: <c>case</c> counts each episode once on its first day; the evidence streams
/// count each episode once per kind of evidence it has, on the day of the first record of that kind — lab-positive
/// (<c>laboratory</c>), clinically diagnosed (<c>diagnosis</c>) and syndromic (<c>syndromic</c>) counts. An episode
/// first seen as a syndrome and later confirmed by a lab is one case, one syndromic count and one lab-positive count.
/// </summary>
internal static class CountStreams
{
    public const string Cases = "case";

    public static IReadOnlyList<string> Evidence { get; } = ["diagnosis", "laboratory", "syndromic"];

    public static string Of(CaseBasis basis) => basis switch
    {
        CaseBasis.Laboratory => "laboratory",
        CaseBasis.Syndromic => "syndromic",
        _ => "diagnosis",
    };
}
