using Microsoft.Extensions.Logging;

namespace OpenHip.Modules.Security;

/// <summary>Security module log messages (event ids 5xxx). Never user names, passwords, tokens or patient ids.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(5001, LogLevel.Warning, "Reloading the authorization server keys failed; the loaded keys stay in use")]
    public static partial void KeyReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(5002, LogLevel.Information, "Authorization server ready: issuer {Issuer}, {SigningKeys} signing key(s), auth schema migrations applied: {Applied}")]
    public static partial void Ready(ILogger logger, string issuer, int signingKeys, string applied);
}
