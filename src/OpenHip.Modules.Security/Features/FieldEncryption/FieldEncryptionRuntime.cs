using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// The keys come from the store, and the store is opened before the server is composed; so the protected store is
/// registered first and gets its keys at start-up, after the self-tests have vouched for SM4 and SM3.
/// </summary>
internal sealed class FieldEncryptionRuntime(IFhirStore inner, FieldEncryptionOptions options, TimeProvider time)
{
    private FieldProtection? _protection;

    public FieldProtection Protection => _protection ?? throw new InvalidOperationException("Field encryption is not started: the server starts it before its first request.");

    public async Task StartAsync(CancellationToken ct)
    {
        if (!options.Enabled)
        {
            // Dropping the key from the configuration must not make encrypted values silently unreadable later.
            if (await inner.GetStateAsync(FieldKeyRing.CurrentKeyState, ct).ConfigureAwait(false) is not null)
            {
                throw new CryptoStartupException(
                    $"field encryption: the store holds encrypted values but no key-encryption key is configured ({FieldEncryptionOptions.KekKey} or {FieldEncryptionOptions.KekFileKey}).");
            }

            return;
        }

        KeyEncryptionKey kek = KeyEncryptionKey.From(options);
        FieldKeyRing keys = await FieldKeyRing.OpenAsync(inner, kek, time, TimeSpan.FromSeconds(options.KeyRefreshSeconds), ct).ConfigureAwait(false);
        _protection = new FieldProtection(
            keys,
            new ProtectedSystems(options.Systems ?? FieldEncryptionOptions.DefaultSystems),
            new HashSet<string>(options.UnqualifiedSearchParameters ?? FieldEncryptionOptions.DefaultUnqualifiedSearchParameters, StringComparer.Ordinal));
    }
}
