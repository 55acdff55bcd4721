using Hl7.Fhir.Model;
using OpenHip.Modules.Surveillance.Domain.Counting;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using Task = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>
/// One alert as two resources: a <c>DetectedIssue</c> carrying the signal (rule, disease, county, the cases that raised
/// it) and a <c>Task</c> carrying the lifecycle (businessStatus new → acknowledged → investigating → closed, with the
/// outcome when closed) that focuses it. DetectedIssue because a signal is a finding about data, not a message; Task
/// because the lifecycle is work someone does and R4 Task has owner, status, businessStatus and output for it.
/// </summary>
internal sealed record SurveillanceAlert(DetectedIssue Signal, Task Work)
{
    private static readonly string[] Roman = ["I", "II", "III", "IV"];

    public static string SignalKey(string rule, string disease, string county) => $"{rule}:{disease}:{county}";

    public static SurveillanceAlert Of(AlertRule rule, string disease, string county, DateOnly day, IReadOnlyList<string> cases, DateTimeOffset now, string description)
    {
        ArgumentNullException.ThrowIfNull(rule);
        string key = rule.Kind == "single-case" ? cases[0] : DetectedCase.Iso(day);
        string signalId = SurveillanceIds.Of("surv-signal", rule.Id, disease, county, key);
        string level = Roman[rule.Level - 1];
        var signal = new DetectedIssue
        {
            Id = signalId,
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(AlertCodes.SignalCodeSystem, rule.Kind, null, description),
            Severity = rule.Level <= 2 ? DetectedIssue.DetectedIssueSeverity.High : rule.Level == 3 ? DetectedIssue.DetectedIssueSeverity.Moderate : DetectedIssue.DetectedIssueSeverity.Low,
            Identified = new FhirDateTime(DetectedCase.Iso(day)),
            Identifier = [new Identifier(AlertCodes.SignalIdentifierSystem, SignalKey(rule.Id, disease, county))],
            Implicated = [.. cases.Select(c => new ResourceReference("EpisodeOfCare/" + c))],
            Evidence = [new DetectedIssue.EvidenceComponent { Code = [new CodeableConcept(SurveillanceCodes.DiseaseSystem, disease)] }],
            Detail = description,
        };
        var work = new Task
        {
            Id = SurveillanceIds.Of("surv-alert", rule.Id, disease, county, key),
            Status = Task.TaskStatus.Requested,
            Intent = Task.TaskIntent.Order,
            BusinessStatus = new CodeableConcept(AlertCodes.StateSystem, "new"),
            Priority = rule.Level switch { 1 => RequestPriority.Stat, 2 => RequestPriority.Asap, 3 => RequestPriority.Urgent, _ => RequestPriority.Routine },
            Code = new CodeableConcept(AlertCodes.TaskCodeSystem, AlertCodes.AlertTaskCode, "Surveillance alert"),
            Focus = new ResourceReference("DetectedIssue/" + signalId),
            AuthoredOnElement = new FhirDateTime(now),
            Description = $"Level {level} alert: {description}",
            Input =
            [
                Input("level", new CodeableConcept(AlertCodes.LevelSystem, level)),
                Input("disease", new CodeableConcept(SurveillanceCodes.DiseaseSystem, disease)),
                Input("county", new Code(county)),
                Input("rule", new FhirString(rule.Id)),
            ],
        };
        return new SurveillanceAlert(signal, work);
    }

    private static Task.ParameterComponent Input(string name, DataType value) =>
        new() { Type = new CodeableConcept(AlertCodes.TaskCodeSystem, name), Value = value };
}
