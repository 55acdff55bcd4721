using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>Field encryption at rest, as the composition root and the <c>openhip keys</c> commands use it.</summary>
public static class FieldEncryption
{
    /// <summary>
    /// The store the engine should use: <paramref name="store"/> itself when no key-encryption key is configured, else
    /// the protected store around it. Its keys load in <see cref="StartFieldEncryptionAsync"/>.
    /// </summary>
    public static IFhirStore Wrap(IFhirStore store, IServiceCollection services, IConfiguration configuration)
    {
        FieldEncryptionOptions options = Bind(configuration);
        var runtime = new FieldEncryptionRuntime(store, options, TimeProvider.System);
        services.AddSingleton(runtime);
        if (!options.Enabled)
        {
            return store;
        }

        return store is IBulkLoader loader ? new ProtectedBulkFhirStore(store, loader, runtime) : new ProtectedFhirStore(store, runtime);
    }

    /// <summary>Loads (on first start, creates) the keys; call after <see cref="CryptoServiceCollectionExtensions.StartCryptography"/>.</summary>
    /// <exception cref="CryptoStartupException">Wrong or missing key-encryption key, or a stored key missing.</exception>
    public static Task StartFieldEncryptionAsync(this IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<FieldEncryptionRuntime>().StartAsync(ct);

    /// <summary>
    /// <c>openhip keys rotate</c>: a new data key for new writes; values under the old ones stay readable. Returns the
    /// exit code: 0 rotated, 2 cannot (no or wrong key-encryption key, failed self-test).
    /// </summary>
    public static async Task<int> RotateAsync(IFhirStore store, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            new CryptoSelfTest(KnownAnswerTests.StartUp).Run();
            FieldEncryptionOptions options = Bind(configuration);
            if (!options.Enabled)
            {
                throw new CryptoStartupException($"field encryption: no key-encryption key ({FieldEncryptionOptions.KekKey} or {FieldEncryptionOptions.KekFileKey}).");
            }

            (string previous, string current) = await FieldKeyRing.RotateAsync(store, KeyEncryptionKey.From(options), ct).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"field encryption: data key {current} is now current for new writes (data key {previous} and older stay for reading; running servers switch within {options.KeyRefreshSeconds} s)").ConfigureAwait(false);
            return 0;
        }
        catch (CryptoStartupException ex)
        {
            await error.WriteLineAsync($"openhip keys rotate: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    /// <summary><c>openhip keys new-kek</c>: a fresh random key-encryption key as 32 hex digits.</summary>
    public static string NewKeyEncryptionKey() => KeyEncryptionKey.NewKeyText();

    private static FieldEncryptionOptions Bind(IConfiguration configuration)
    {
        var options = new FieldEncryptionOptions();
        configuration.GetSection(FieldEncryptionOptions.SectionName).Bind(options);
        return options;
    }
}
