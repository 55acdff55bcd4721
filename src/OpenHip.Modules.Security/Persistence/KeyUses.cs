namespace OpenHip.Modules.Security.Persistence;

public static class KeyUses
{
    public const string Signing = "sig";
    public const string Encryption = "enc";
}
