using Microsoft.Extensions.Logging;

namespace OpenHip.Modules.Mpi;

/// <summary>The MPI's log messages (3xxx): ids and counts only, never patient data.</summary>
internal static partial class MpiLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "A committed Patient could not be put into the match index; the outbox brings it again")]
    public static partial void IndexUpdateFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Linked {Count} Patient changes in {ElapsedMs} ms")]
    public static partial void Linked(ILogger logger, int count, long elapsedMs);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Review task {TaskId} {Decision}")]
    public static partial void Reviewed(ILogger logger, string taskId, string decision);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Merged into Patient {TargetId}; record Provenance {ProvenanceId}")]
    public static partial void Merged(ILogger logger, string targetId, string provenanceId);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Unmerged Provenance {ProvenanceId}")]
    public static partial void Unmerged(ILogger logger, string provenanceId);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Match index loaded: {Count} Patients in {ElapsedMs} ms")]
    public static partial void IndexLoaded(ILogger logger, int count, long elapsedMs);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Loading the match index at start failed; the first request that needs it loads it")]
    public static partial void IndexPreloadFailed(ILogger logger, Exception exception);
}
