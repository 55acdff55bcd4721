using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>
/// Surveillance's outbox consumer: every Condition, Observation and Encounter change is tested against the case
/// definitions as it is committed (no nightly batch). The engine runs it on one node at a time, in order, at least
/// once; <see cref="CaseDetector"/> makes a repeated batch a no-op. Its own writes (EpisodeOfCare, MeasureReport) are
/// types it does not watch, so it never reacts to itself.
/// </summary>
internal sealed class CaseDetectionConsumer(CaseDetector detector, ILogger<CaseDetectionConsumer> logger) : IOutboxConsumer
{
    public const string ConsumerName = "surveillance-cases";

    public string Name => ConsumerName;

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        DetectionSummary summary = await detector.ProcessAsync(events, cancellationToken).ConfigureAwait(false);
        if (summary.Cases + summary.Repeats > 0)
        {
            SurveillanceLog.Detected(logger, summary.Events, summary.Cases, summary.Repeats, clock.ElapsedMilliseconds);
        }
    }
}
