namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>What raises an alert, bound from "Modules:Surveillance:AlertRules".</summary>
public sealed class AlertRule
{
    /// <summary>Stable key; alert ids derive from it.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// <c>single-case</c>: every new case; <c>cluster</c>: <see cref="Cases"/> cases in one county within <see cref="Days"/>
    /// days; <c>aberration</c>: the county's daily count on the new cases' day is above <see cref="Algorithm"/>'s upper
    /// bound; <c>combined</c>: every rule in <see cref="Rules"/> has signalled for the disease and county within
    /// <see cref="Days"/> days (a multi-point trigger, usually at a higher level).
    /// </summary>
    public string Kind { get; set; } = "cluster";

    /// <summary>For <c>aberration</c>: an algorithm of <c>$surveillance-series</c> (earsC1, earsC2, earsC3, ...) run on daily counts.</summary>
    public string Algorithm { get; set; } = "earsC3";

    /// <summary>For <c>aberration</c>: the algorithm's controls as <c>name=value</c>.</summary>
    public IList<string> Parameters { get; } = [];

    /// <summary>For <c>aberration</c>: days of history read before the day judged.</summary>
    [System.ComponentModel.DataAnnotations.Range(7, 3660)]
    public int BaselineDays { get; set; } = 28;

    /// <summary>
    /// For <c>cluster</c> and <c>aberration</c>: the count the rule watches — <c>case</c> (new cases), or an evidence stream:
    /// <c>laboratory</c> (lab-positive counts), <c>diagnosis</c>, <c>syndromic</c> (see docs/surveillance.md, "Count streams").
    /// </summary>
    public string Stream { get; set; } = Domain.Counting.CountStreams.Cases;

    /// <summary>For <c>combined</c>: the ids of the rules that must all have signalled.</summary>
    public IList<string> Rules { get; } = [];

    /// <summary>Disease ids the rule watches; empty: every disease (for <c>single-case</c>: every high-priority disease).</summary>
    public IList<string> Diseases { get; } = [];

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int Cases { get; set; } = 3;

    [System.ComponentModel.DataAnnotations.Range(1, 366)]
    public int Days { get; set; } = 7;

    /// <summary>China's four public-health warning levels: 1 (I, red, most serious) to 4 (IV, blue).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 4)]
    public int Level { get; set; } = 3;

    /// <summary>
    /// The defaults: one case of cholera or plague (class A) is a level-I alert; three cases of a disease in one county
    /// within a week, level III; a county's day above the EARS C3 bound, level IV; both of the last two within a week, level II.
    /// </summary>
    public static IReadOnlyList<AlertRule> Defaults
    {
        get
        {
            // CDC's C3 judges the day itself (R's C3 alarms only on the two days before it). With a quiet baseline the
            // standard deviation is 0 and a single case would be "above" it: at least 0.5, the floor the evaluation
            // harness picks (docs/performance.md, Surveillance evaluation: 24 of 32 labelled outbreaks at 0.02 false
            // alarms per county, disease and year, against 22 of 32 for Noufaily on weeks; a floor of 1 found 7).
            var aberration = new AlertRule { Id = "county-aberration", Kind = "aberration", Algorithm = "earsC3", Days = 7, Level = 4 };
            aberration.Parameters.Add("mode=cdc");
            aberration.Parameters.Add("minSigma=0.5");
            var combined = new AlertRule { Id = "cluster-and-aberration", Kind = "combined", Days = 7, Level = 2 };
            combined.Rules.Add("county-cluster");
            combined.Rules.Add("county-aberration");
            return
            [
                new AlertRule { Id = "single-case-high-priority", Kind = "single-case", Level = 1 },
                new AlertRule { Id = "county-cluster", Kind = "cluster", Cases = 3, Days = 7, Level = 3 },
                aberration,
                combined,
            ];
        }
    }
}
