using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Audit;

namespace OpenHip.Fhir.Api;

/// <summary>
/// The default audit sink until the security module's tamper-evident AuditEvent chain replaces it: ids, interaction and
/// outcome only, never resource content.
/// </summary>
public sealed partial class LoggingAuditSink(ILogger<LoggingAuditSink> logger) : IAuditSink
{
    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (record.Priority == AuditPriority.High)
        {
            LogHighPriority(logger, record.Interaction, record.Resource ?? "-", record.Outcome, record.CorrelationId ?? "-");
            return ValueTask.CompletedTask;
        }

        LogInteraction(logger, record.Interaction, record.Resource ?? "-", record.Outcome, record.CorrelationId ?? "-");
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "audit {Interaction} {Resource} -> {Status} ({CorrelationId})")]
    private static partial void LogInteraction(ILogger logger, string interaction, string resource, int status, string correlationId);

    // Overrides (break-the-glass) must reach an operator even where debug logging is off.
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "audit (high priority) {Interaction} {Resource} -> {Status} ({CorrelationId})")]
    private static partial void LogHighPriority(ILogger logger, string interaction, string resource, int status, string correlationId);
}
