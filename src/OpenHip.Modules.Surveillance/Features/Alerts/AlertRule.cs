namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>What raises an alert, bound from "Modules:Surveillance:AlertRules".</summary>
public sealed class AlertRule
{
    /// <summary>Stable key; alert ids derive from it.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary><c>single-case</c>: every new case; <c>cluster</c>: <see cref="Cases"/> cases in one county within <see cref="Days"/> days.</summary>
    public string Kind { get; set; } = "cluster";

    /// <summary>Disease ids the rule watches; empty: every disease (for <c>single-case</c>: every high-priority disease).</summary>
    public IList<string> Diseases { get; } = [];

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int Cases { get; set; } = 3;

    [System.ComponentModel.DataAnnotations.Range(1, 366)]
    public int Days { get; set; } = 7;

    /// <summary>China's four public-health warning levels: 1 (I, red, most serious) to 4 (IV, blue).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 4)]
    public int Level { get; set; } = 3;

    /// <summary>The defaults: one case of cholera or plague (class A) is a level-I alert; three cases of a disease in one county within a week, level III.</summary>
    public static IReadOnlyList<AlertRule> Defaults =>
    [
        new AlertRule { Id = "single-case-high-priority", Kind = "single-case", Level = 1 },
        new AlertRule { Id = "county-cluster", Kind = "cluster", Cases = 3, Days = 7, Level = 3 },
    ];
}
