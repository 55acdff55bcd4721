using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpenHip.Modules.Security.Features.Crypto;

public static class CryptoServiceCollectionExtensions
{
    /// <summary>
    /// The SM2/SM3/SM4 provider and its start-up self-tests. Registered whether auth is on or off: field encryption
    /// and the audit chain need it either way.
    /// </summary>
    public static IServiceCollection AddCryptography(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CryptoSelfTest)))
        {
            return services;
        }

        foreach (KnownAnswerTest test in KnownAnswerTests.StartUp)
        {
            services.AddSingleton(test);
        }

        services.TryAddSingleton<CryptoSelfTest>();
        return services;
    }

    /// <summary>Runs the self-tests before the server takes its first request.</summary>
    /// <exception cref="CryptoStartupException">A self-test failed; the message names it.</exception>
    public static void StartCryptography(this IServiceProvider services) =>
        services.GetRequiredService<CryptoSelfTest>().Run();
}
