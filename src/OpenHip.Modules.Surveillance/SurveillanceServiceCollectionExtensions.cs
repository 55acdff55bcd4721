using Microsoft.Extensions.DependencyInjection;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;

namespace OpenHip.Modules.Surveillance;

/// <summary>Registers the surveillance module's detectors with the engine; called by the composition root.</summary>
public static class SurveillanceServiceCollectionExtensions
{
    public static IServiceCollection AddSurveillanceModule(this IServiceCollection services)
    {
        services.AddSingleton<DetectorCatalog>();
        services.AddSingleton<OfflineDetection>();
        return services;
    }
}
