using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Modules.Terminology.Content;
using OpenHip.Modules.Terminology.Loading;

namespace OpenHip.Modules.Terminology;

/// <summary>Registers the terminology service with the engine; called by the composition root.</summary>
public static class TerminologyServiceCollectionExtensions
{
    public static IServiceCollection AddTerminologyModule(this IServiceCollection services, TerminologyOptions options)
    {
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<TerminologyWriter>();
        services.AddSingleton<ShippedContentSeeder>();
        return services;
    }
}
