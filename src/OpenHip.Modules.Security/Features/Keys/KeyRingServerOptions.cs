using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace OpenHip.Modules.Security.Features.Keys;

/// <summary>
/// Gives OpenIddict the key ring's keys (newest signing key first, so it signs) and rebuilds its options when the
/// ring reloads, so a key rotated on another node is used here without a restart.
/// </summary>
internal sealed class KeyRingServerOptions(KeyRing keys) : IConfigureOptions<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    public string? Name => Options.DefaultName;

    public void Configure(OpenIddictServerOptions options)
    {
        foreach (SecurityKey key in keys.SigningKeys)
        {
            string algorithm = key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256;
            options.SigningCredentials.Add(new SigningCredentials(key, algorithm));
        }

        foreach (SecurityKey key in keys.EncryptionKeys)
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(key, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    public IChangeToken GetChangeToken() => keys.ChangeToken;
}
