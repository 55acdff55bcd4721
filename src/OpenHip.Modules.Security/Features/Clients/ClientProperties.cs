namespace OpenHip.Modules.Security.Features.Clients;

/// <summary>Names of the OpenIddict application properties that hold what OpenIddict has no field for.</summary>
internal static class ClientProperties
{
    public const string Scopes = "openhip_scopes";
    public const string Source = "openhip_source";
    public const string JwksUrl = "openhip_jwks_url";
    public const string PurposesOfUse = "openhip_purposes_of_use";
}
