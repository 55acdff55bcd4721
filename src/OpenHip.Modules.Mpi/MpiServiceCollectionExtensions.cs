using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Mpi.Features.MatchPatient;

namespace OpenHip.Modules.Mpi;

/// <summary>Registers the master patient index with the engine; called by the composition root.</summary>
public static class MpiServiceCollectionExtensions
{
    public static IServiceCollection AddMpiModule(this IServiceCollection services, MpiOptions options)
    {
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<PatientMatcher>();
        services.AddSingleton<IFhirOperation, MatchOperation>();
        return services;
    }
}
