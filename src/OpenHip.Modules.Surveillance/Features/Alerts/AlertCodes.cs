namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>The codes and URLs of surveillance alerts (docs/surveillance.md, "Alerts").</summary>
internal static class AlertCodes
{
    public const string TaskCodeSystem = "http://openhip.org/fhir/CodeSystem/surveillance-task";
    public const string AlertTaskCode = "surveillance-alert";
    public const string SignalCodeSystem = "http://openhip.org/fhir/CodeSystem/surveillance-signal";
    public const string SignalIdentifierSystem = "http://openhip.org/sid/surveillance-signal";
    public const string LevelSystem = "http://openhip.org/fhir/CodeSystem/surveillance-alert-level";
    public const string StateSystem = "http://openhip.org/fhir/CodeSystem/surveillance-alert-state";
    public const string OutcomeSystem = "http://openhip.org/fhir/CodeSystem/surveillance-alert-outcome";

    /// <summary>The lifecycle in Task.businessStatus, each with the Task.status it implies.</summary>
    public static readonly IReadOnlyList<(string State, Hl7.Fhir.Model.Task.TaskStatus Status)> States =
    [
        ("new", Hl7.Fhir.Model.Task.TaskStatus.Requested),
        ("acknowledged", Hl7.Fhir.Model.Task.TaskStatus.Accepted),
        ("investigating", Hl7.Fhir.Model.Task.TaskStatus.InProgress),
        ("closed", Hl7.Fhir.Model.Task.TaskStatus.Completed),
    ];

    public static readonly IReadOnlyList<string> Outcomes = ["true-outbreak", "false-alarm"];
}
