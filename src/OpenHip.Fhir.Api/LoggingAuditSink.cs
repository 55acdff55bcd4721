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
        LogInteraction(logger, record.Interaction, record.Resource ?? "-", record.Outcome, record.CorrelationId ?? "-");
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "audit {Interaction} {Resource} -> {Status} ({CorrelationId})")]
    private static partial void LogInteraction(ILogger logger, string interaction, string resource, int status, string correlationId);
}
