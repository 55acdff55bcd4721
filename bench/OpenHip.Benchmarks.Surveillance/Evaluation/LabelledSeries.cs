using OpenHip.Modules.Surveillance.Domain;

namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>
/// One count series with its true outbreak steps and the steps every algorithm is scored on (the same range for all,
/// so their false alarms and detections compare).
/// </summary>
/// <param name="StepDays">Days per step (1 or 7), to report delays in days.</param>
internal sealed record LabelledSeries(string Name, CountSeries Series, bool[] Outbreak, MonitoredRange Range, int StepDays);
