using OpenHip.Modules.Security.Features.Authorization;

namespace OpenHip.Modules.Security.Features.Demo;

/// <summary>What <c>serve --demo</c> prints: the development client and a token, and how to use them with curl.</summary>
internal static class DemoBanner
{
    public static void Print(TextWriter output, AuthOptions options, string clientId, string secret, string token)
    {
        output.WriteLine();
        output.WriteLine("OpenHIP demo: auth is on. Development credentials (this session only, never in production):");
        output.WriteLine($"  client id:     {clientId}");
        output.WriteLine($"  client secret: {secret}");
        output.WriteLine($"  access token (operator, valid {options.DemoTokenLifetime.TotalHours:0.#} h):");
        output.WriteLine($"export TOKEN={token}");
        output.WriteLine($"  curl -H \"Authorization: Bearer $TOKEN\" {options.FhirBaseUrl}/Patient?_count=1");
        output.WriteLine($"  new 5-minute token: curl -u {clientId}:<secret> -d grant_type=client_credentials -d scope=system/*.rs {AuthEndpoints.Url(options, AuthEndpoints.Token)}");
        output.WriteLine();
    }
}
