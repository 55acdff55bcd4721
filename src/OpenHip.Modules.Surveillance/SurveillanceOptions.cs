using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Surveillance;

/// <summary>The surveillance module's configuration section.</summary>
public sealed class SurveillanceOptions
{
    public const string SectionName = "Modules:Surveillance";

    /// <summary>Detect cases from the outbox as data arrives and keep the daily counts; off stores nothing of surveillance.</summary>
    public bool DetectCases { get; init; } = true;

    /// <summary>A case-definition file replacing the shipped defaults (format in docs/surveillance.md); null for the defaults.</summary>
    public string? CaseDefinitionsFile { get; init; }

    /// <summary>meta.source of what the module writes (cases and counts).</summary>
    [Required]
    public string WriterSource { get; init; } = "http://openhip.org/fhir/surveillance";

    /// <summary>Attempts of one outbox batch when a count was changed concurrently (e.g. by hand through the API).</summary>
    [Range(1, 100)]
    public int MaxCommitAttempts { get; init; } = 8;

    /// <summary>What raises alerts ("Modules:Surveillance:AlertRules:N"); none configured: <see cref="Features.Alerts.AlertRule.Defaults"/>.</summary>
    public IList<Features.Alerts.AlertRule> AlertRules { get; } = [];

    public IReadOnlyList<Features.Alerts.AlertRule> EffectiveAlertRules => AlertRules.Count == 0 ? Features.Alerts.AlertRule.Defaults : [.. AlertRules];
}
