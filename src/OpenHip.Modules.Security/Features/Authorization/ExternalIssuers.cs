using System.Security.Claims;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>Trusted OpenID Connect providers (Security:Auth:ExternalIssuers), each with its cached keys and claim map.</summary>
public sealed class ExternalIssuers
{
    /// <summary>
    /// Its own client, apart from the client-supplied JWKS URLs': these endpoints are the operator's configuration (each
    /// issuer listed is its allow-list entry), so the JWKS allow-list does not apply to them.
    /// </summary>
    public const string HttpClientName = "openhip-issuers";

    private readonly Dictionary<string, Issuer> _issuers;

    public ExternalIssuers(AuthOptions options, IHttpClientFactory http)
    {
        _issuers = options.ExternalIssuers.ToDictionary(
            o => o.Issuer,
            o => new Issuer(o, http.CreateClient(HttpClientName)),
            StringComparer.Ordinal);
    }

    internal Issuer? Find(string? issuer) => issuer is not null && _issuers.TryGetValue(issuer, out Issuer? found) ? found : null;

    internal sealed class Issuer
    {
        private readonly ExternalIssuerOptions _options;
        private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;

        public Issuer(ExternalIssuerOptions options, HttpClient http)
        {
            _options = options;
            var retriever = new HttpDocumentRetriever(http) { RequireHttps = !options.AllowHttp };
            _configuration = options.JwksUrl is { } jwks
                ? new ConfigurationManager<OpenIdConnectConfiguration>(jwks, new JwksRetriever(), retriever)
                : new ConfigurationManager<OpenIdConnectConfiguration>(
                    options.MetadataUrl ?? options.Issuer.TrimEnd('/') + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), retriever);
        }

        public async Task<TokenValidationParameters> ParametersAsync(AuthOptions auth, CancellationToken ct)
        {
            OpenIdConnectConfiguration configuration = await _configuration.GetConfigurationAsync(ct).ConfigureAwait(false);
            return new TokenValidationParameters
            {
                ValidIssuer = _options.Issuer,
                ValidAudience = _options.Audience ?? auth.FhirBaseUrl,
                IssuerSigningKeys = configuration.SigningKeys,
                ValidAlgorithms = BearerTokenValidator.Algorithms,
                ClockSkew = auth.ClockSkew,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
            };
        }

        /// <summary>The provider's claims under the SMART names; a mapped scope list becomes one space-separated scope.</summary>
        public IEnumerable<Claim> Map(IEnumerable<Claim> claims)
        {
            List<Claim> source = [.. claims];
            List<Claim> mapped = [.. source.Where(c => !_options.ClaimMap.ContainsKey(c.Type))];
            foreach ((string smart, string theirs) in _options.ClaimMap)
            {
                string[] values = [.. source.Where(c => c.Type == theirs).Select(c => c.Value)];
                mapped.RemoveAll(c => c.Type == smart);
                if (smart == SmartClaims.Scope && values.Length > 0)
                {
                    mapped.Add(new Claim(smart, string.Join(' ', values)));
                }
                else
                {
                    mapped.AddRange(values.Select(v => new Claim(smart, v)));
                }
            }

            return mapped;
        }
    }

    /// <summary>Reads a bare JWKS document as a configuration with signing keys (no discovery document needed).</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            string json = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
            var configuration = new OpenIdConnectConfiguration();
            foreach (SecurityKey key in new JsonWebKeySet(json).GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}
