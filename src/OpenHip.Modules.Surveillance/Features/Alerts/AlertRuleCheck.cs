namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>Refuses, at start-up, alert rules that could never work as written.</summary>
internal static class AlertRuleCheck
{
    public static void Validate(IReadOnlyList<AlertRule> rules)
    {
        foreach (AlertRule rule in rules)
        {
            string where = $"{SurveillanceOptions.SectionName}:AlertRules '{rule.Id}'";
            if (string.IsNullOrWhiteSpace(rule.Id) || rule.Id.Length > 40)
            {
                throw new InvalidOperationException($"{SurveillanceOptions.SectionName}:AlertRules: every rule needs an Id of at most 40 characters");
            }

            if (rule.Kind is not ("single-case" or "cluster"))
            {
                throw new InvalidOperationException($"{where}: Kind must be single-case or cluster, not '{rule.Kind}'");
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
