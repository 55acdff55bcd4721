using OpenHip.Modules.Surveillance.Domain.Counting;

namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>Refuses, at start-up, alert rules that could never work as written.</summary>
internal static class AlertRuleCheck
{
    public static void Validate(IReadOnlyList<AlertRule> rules, IReadOnlyCollection<string> algorithms)
    {
        foreach (AlertRule rule in rules)
        {
            string where = $"{SurveillanceOptions.SectionName}:AlertRules '{rule.Id}'";
            if (string.IsNullOrWhiteSpace(rule.Id) || rule.Id.Length > 40)
            {
                throw new InvalidOperationException($"{SurveillanceOptions.SectionName}:AlertRules: every rule needs an Id of at most 40 characters");
            }

            if (rule.Kind is not ("single-case" or "cluster" or "aberration" or "combined"))
            {
                throw new InvalidOperationException($"{where}: Kind must be single-case, cluster, aberration or combined, not '{rule.Kind}'");
            }

            if (rule.Kind == "aberration" && !algorithms.Contains(rule.Algorithm))
            {
                throw new InvalidOperationException($"{where}: unknown Algorithm '{rule.Algorithm}' (one of {string.Join(", ", algorithms)})");
            }

            if (rule.Stream != CountStreams.Cases && (!CountStreams.Evidence.Contains(rule.Stream) || rule.Kind is not ("cluster" or "aberration")))
            {
                throw new InvalidOperationException($"{where}: Stream is case or one of {string.Join(", ", CountStreams.Evidence)}, and only cluster and aberration rules watch an evidence stream");
            }

            if (rule.Kind == "combined" && (rule.Rules.Count < 2 || rule.Rules.Any(r => !rules.Any(o => o.Id == r && o.Kind is "cluster" or "aberration" or "single-case"))))
            {
                throw new InvalidOperationException($"{where}: a combined rule names at least two other rules (single-case, cluster or aberration) by Id");
            }

            if (rule.Level is < 1 or > 4 || rule.Cases < 1 || rule.Days is < 1 or > 366)
            {
                throw new InvalidOperationException($"{where}: Level must be 1-4, Cases at least 1, Days 1-366");
            }
        }

        if (rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"{SurveillanceOptions.SectionName}:AlertRules: the Id '{twice.Key}' is used twice");
        }
    }
}
