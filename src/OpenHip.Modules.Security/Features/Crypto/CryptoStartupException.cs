namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>
/// The cryptography cannot be used: a self-test failed, or a key is missing, wrong or unreadable. The host reports
/// the message and exits rather than serve data it cannot protect.
/// </summary>
public sealed class CryptoStartupException : Exception
{
    public CryptoStartupException()
    {
    }

    public CryptoStartupException(string message)
        : base(message)
    {
    }

    public CryptoStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
