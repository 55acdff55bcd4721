using Microsoft.Extensions.Logging;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>Policy compilation logs (52xx): ids, types and counts only, never scope queries or patient data.</summary>
internal static partial class PolicyLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Granular scope on {Type} dropped: {Reason}")]
    public static partial void GranularScopeDropped(ILogger logger, string type, string reason);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Scope {Context}/{Type} of {Caller} grants nothing: {Reason}")]
    public static partial void ScopeGrantsNothing(ILogger logger, string context, string type, string caller, string reason);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Debug, Message = "Compiled the policy of {Caller}: {Rules} rules, {Restrictions} restrictions")]
    public static partial void Compiled(ILogger logger, string caller, int rules, int restrictions);
}
