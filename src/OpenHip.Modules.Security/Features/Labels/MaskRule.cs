namespace OpenHip.Modules.Security.Features.Labels;

/// <summary>Remove <paramref name="Elements"/> from resources of <paramref name="Type"/>, from all of them or only from those carrying one of <paramref name="WhenLabels"/> (<c>system|code</c>).</summary>
internal sealed record MaskRule(string Type, IReadOnlyList<string> Elements, IReadOnlyList<string> WhenLabels);
