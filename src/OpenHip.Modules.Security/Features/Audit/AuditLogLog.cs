using Microsoft.Extensions.Logging;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>The audit log's own logs: counts, ids and paths only, never an event's content.</summary>
internal static partial class AuditLogLog
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Error, Message = "Audit append of {Count} records failed; their requests are refused")]
    public static partial void AppendFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Error, Message = "Audit checkpoint {Number} could not be taken")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, long number);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Error, Message = "Audit checkpoint {Number} could not be sent to the witness; it is retried with the next one")]
    public static partial void WitnessFailed(ILogger logger, Exception exception, long number);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Information, Message = "Audit log on: node {Node}, {Lanes} lanes, checkpoints signed with key {KeyId} to {Witness}")]
    public static partial void Started(ILogger logger, string node, int lanes, string keyId, string witness);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Warning, Message = "Audit signing key created at {Path}; keep a copy of its public key ({KeyId}) outside this server")]
    public static partial void KeyCreated(ILogger logger, string path, string keyId);

    [LoggerMessage(EventId = 5405, Level = LogLevel.Warning, Message = "audit (high priority) {Interaction} {Resource} -> {Status} ({CorrelationId})")]
    public static partial void HighPriority(ILogger logger, string interaction, string resource, int status, string correlationId);

    [LoggerMessage(EventId = 5406, Level = LogLevel.Warning, Message = "Audit journal: moving {Count} records into the audit log failed (attempt {Attempt}); they stay in the journal and the move is retried")]
    public static partial void MoveFailed(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(EventId = 5407, Level = LogLevel.Information, Message = "Audit journal: {Count} records an earlier run left in {Segments} segments moved into the audit log")]
    public static partial void JournalRecovered(ILogger logger, int count, int segments);

    [LoggerMessage(EventId = 5408, Level = LogLevel.Error, Message = "Audit journal segment damaged after {Rows} whole records; kept as {Path} for inspection")]
    public static partial void JournalDamaged(ILogger logger, string path, int rows);

    [LoggerMessage(EventId = 5413, Level = LogLevel.Error, Message = "Audit journal: rows of chain group {Group} do not follow on from what the audit log holds; the rest are chained in a new group")]
    public static partial void JournalGroupReplaced(ILogger logger, Exception? exception, string group);

    [LoggerMessage(EventId = 5409, Level = LogLevel.Error, Message = "Audit journal: flushing to disk failed; records answered since the last flush are in the operating system's hands only until a flush succeeds")]
    public static partial void FlushFailed(ILogger logger, Exception exception);
}
