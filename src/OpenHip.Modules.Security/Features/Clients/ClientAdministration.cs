using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenHip.Modules.Security.Features.Clients;

/// <summary>Adds, lists and removes clients: one implementation behind <c>openhip auth client</c> and <c>/admin/clients</c>.</summary>
public sealed class ClientAdministration(IOpenIddictApplicationManager applications, IHttpClientFactory http)
{
    public static readonly IReadOnlySet<string> KnownGrantTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials,
    };

    /// <summary>Registers the client; a problem with the registration comes back as a message, nothing stored.</summary>
    public async Task<string?> AddAsync(ClientRegistration client, CancellationToken ct)
    {
        string? problem = Check(client);
        if (problem is not null)
        {
            return problem;
        }

        if (await applications.FindByClientIdAsync(client.ClientId, ct).ConfigureAwait(false) is not null)
        {
            return $"client '{client.ClientId}' already exists";
        }

        string? jwks = client.Jwks;
        if (jwks is null && client.JwksUrl is not null)
        {
            // OpenIddict wants a confidential client's keys at registration: take the URL's current set now; the token
            // endpoint refreshes it from the URL later (JwksUrlKeys).
            try
            {
                using HttpClient fetch = http.CreateClient(Authorization.JwksUrlKeys.HttpClientName);
                jwks = await fetch.GetStringAsync(new Uri(client.JwksUrl), ct).ConfigureAwait(false);
                _ = new JsonWebKeySet(jwks);
            }
            catch (Exception ex) when (ex is HttpRequestException or ArgumentException or TaskCanceledException)
            {
                return $"the JWKS URL could not be read: {ex.Message}";
            }
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName ?? client.ClientId,
            ClientType = client.Public ? ClientTypes.Public : ClientTypes.Confidential,
            ClientSecret = client.Public ? null : client.Secret,
            ConsentType = ConsentTypes.Explicit,
            JsonWebKeySet = string.IsNullOrWhiteSpace(jwks) ? null : new JsonWebKeySet(jwks),
        };
        foreach (string uri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        foreach (string grant in client.GrantTypes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grant);
        }

        if (client.GrantTypes.Contains(GrantTypes.AuthorizationCode))
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
            descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }

        descriptor.Properties[ClientProperties.Scopes] = JsonSerializer.SerializeToElement(client.Scopes);
        descriptor.Properties[ClientProperties.PurposesOfUse] = JsonSerializer.SerializeToElement(client.PurposesOfUse);
        if (client.Source is not null)
        {
            descriptor.Properties[ClientProperties.Source] = JsonSerializer.SerializeToElement(client.Source);
        }

        if (client.JwksUrl is not null)
        {
            descriptor.Properties[ClientProperties.JwksUrl] = JsonSerializer.SerializeToElement(client.JwksUrl);
        }

        await applications.CreateAsync(descriptor, ct).ConfigureAwait(false);
        return null;
    }

    public async Task<IReadOnlyList<ClientRegistration>> ListAsync(CancellationToken ct)
    {
        List<ClientRegistration> clients = [];
        await foreach (object application in applications.ListAsync(count: null, offset: null, ct).ConfigureAwait(false))
        {
            clients.Add(await ReadAsync(application, ct).ConfigureAwait(false));
        }

        return [.. clients.OrderBy(c => c.ClientId, StringComparer.Ordinal)];
    }

    public async Task<ClientRegistration?> FindAsync(string clientId, CancellationToken ct) =>
        await applications.FindByClientIdAsync(clientId, ct).ConfigureAwait(false) is { } application
            ? await ReadAsync(application, ct).ConfigureAwait(false)
            : null;

    public async Task<bool> RemoveAsync(string clientId, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct).ConfigureAwait(false) is not { } application)
        {
            return false;
        }

        await applications.DeleteAsync(application, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The registration of a stored application (the secret is never read back: OpenIddict keeps only its hash).</summary>
    public async Task<ClientRegistration> ReadAsync(object application, CancellationToken ct)
    {
        ImmutableDictionary<string, JsonElement> properties = await applications.GetPropertiesAsync(application, ct).ConfigureAwait(false);
        ImmutableArray<string> permissions = await applications.GetPermissionsAsync(application, ct).ConfigureAwait(false);
        ImmutableArray<string> redirects = await applications.GetRedirectUrisAsync(application, ct).ConfigureAwait(false);
        JsonWebKeySet? jwks = await applications.GetJsonWebKeySetAsync(application, ct).ConfigureAwait(false);
        return new ClientRegistration
        {
            ClientId = (await applications.GetClientIdAsync(application, ct).ConfigureAwait(false))!,
            DisplayName = await applications.GetDisplayNameAsync(application, ct).ConfigureAwait(false),
            Public = await applications.HasClientTypeAsync(application, ClientTypes.Public, ct).ConfigureAwait(false),
            RedirectUris = [.. redirects],
            GrantTypes = [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.GrantType, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.GrantType.Length..])],
            Scopes = Strings(properties, ClientProperties.Scopes),
            PurposesOfUse = Strings(properties, ClientProperties.PurposesOfUse),
            Source = properties.TryGetValue(ClientProperties.Source, out JsonElement source) ? source.GetString() : null,
            JwksUrl = properties.TryGetValue(ClientProperties.JwksUrl, out JsonElement url) ? url.GetString() : null,
            Jwks = jwks is { Keys.Count: > 0 } ? $"{jwks.Keys.Count} key(s): {string.Join(' ', jwks.Keys.Select(k => k.Kid))}" : null,
        };
    }

    internal static string[] Strings(ImmutableDictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(e => e.GetString()!)]
            : [];

    private static string? Check(ClientRegistration client)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId) || client.ClientId.Length > 100)
        {
            return "client id is required (at most 100 characters)";
        }

        if (client.GrantTypes.Count == 0 || client.GrantTypes.Any(g => !KnownGrantTypes.Contains(g)))
        {
            return $"grant types must be some of {string.Join(", ", KnownGrantTypes)}";
        }

        if (client.Public && (client.Secret is not null || client.Jwks is not null || client.JwksUrl is not null))
        {
            return "a public client has no secret and no keys";
        }

        if (client.Public && client.GrantTypes.Contains(GrantTypes.ClientCredentials))
        {
            return "client_credentials needs a confidential client with keys (SMART Backend Services)";
        }

        if (!client.Public && client.Secret is null && client.Jwks is null && client.JwksUrl is null)
        {
            return "a confidential client needs a secret, an inline JWKS or a JWKS URL";
        }

        if (client.GrantTypes.Contains(GrantTypes.AuthorizationCode) && client.RedirectUris.Count == 0)
        {
            return "authorization_code needs at least one redirect URI";
        }

        if (client.RedirectUris.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out _)))
        {
            return "redirect URIs must be absolute";
        }

        if (client.JwksUrl is not null && (!Uri.TryCreate(client.JwksUrl, UriKind.Absolute, out Uri? jwksUri) || jwksUri.Scheme is not ("https" or "http")))
        {
            return "the JWKS URL must be an absolute http(s) URL";
        }

        if (client.Jwks is not null)
        {
            try
            {
                if (new JsonWebKeySet(client.Jwks).Keys.Count == 0)
                {
                    return "the JWKS has no keys";
                }
            }
            catch (ArgumentException ex)
            {
                return $"the JWKS is not valid JSON: {ex.Message}";
            }
        }

        return null;
    }
}
