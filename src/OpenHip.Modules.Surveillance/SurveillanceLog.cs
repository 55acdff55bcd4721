using Microsoft.Extensions.Logging;

namespace OpenHip.Modules.Surveillance;

/// <summary>The module's log messages (event ids 6xxx); ids and counts only, never patient data.</summary>
internal static partial class SurveillanceLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Surveillance scanned {Events} events: {Cases} new cases, {Repeats} in known episodes, in {ElapsedMs} ms")]
    public static partial void Detected(ILogger logger, int events, int cases, int repeats, long elapsedMs);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Surveillance batch conflicted with a concurrent change (attempt {Attempt}); planning it again")]
    public static partial void Conflict(ILogger logger, int attempt);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Surveillance case definitions loaded: {Count} diseases from {Origin}")]
    public static partial void DefinitionsLoaded(ILogger logger, int count, string origin);
}
