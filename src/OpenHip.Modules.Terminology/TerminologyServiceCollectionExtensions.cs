using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenHip.Modules.Terminology;

/// <summary>Registers the terminology service with the engine; called by the composition root.</summary>
public static class TerminologyServiceCollectionExtensions
{
    public static IServiceCollection AddTerminologyModule(this IServiceCollection services, TerminologyOptions options)
    {
        services.AddSingleton(Options.Create(options));
        return services;
    }
}
