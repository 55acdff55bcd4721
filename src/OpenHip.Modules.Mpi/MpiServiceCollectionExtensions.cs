using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Mpi.Features.Linking;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using OpenHip.Modules.Mpi.Features.Merge;
using OpenHip.Modules.Mpi.Features.Pix;
using OpenHip.Modules.Mpi.Features.Rebuild;
using OpenHip.Modules.Mpi.Features.Review;

namespace OpenHip.Modules.Mpi;

/// <summary>Registers the master patient index with the engine; called by the composition root.</summary>
public static class MpiServiceCollectionExtensions
{
    public static IServiceCollection AddMpiModule(this IServiceCollection services, MpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<PatientIndex>();
        services.AddSingleton<IResourceWriteHook, PatientIndexWriteHook>();
        services.AddSingleton<IResourceWriteHook, ResidentIdWarningHook>();
        services.AddSingleton<IChangeObserver, PatientIndexObserver>();
        services.AddSingleton<PatientMatcher>();
        services.AddSingleton<GoldenPersons>();
        services.AddSingleton<ReviewQueue>();
        services.AddSingleton<ReviewDecider>();
        services.AddSingleton<PatientLinker>();
        services.AddSingleton<PatientMerger>();
        services.AddSingleton<PopulationRebuilder>();
        services.AddSingleton<LinkingConsumer>();
        if (options.PreloadIndex)
        {
            services.AddHostedService<PatientIndexPreloader>();
        }

        if (options.LinkOnWrite)
        {
            services.AddSingleton<IOutboxConsumer>(sp => sp.GetRequiredService<LinkingConsumer>());
        }

        services.AddSingleton<IFhirOperation, MatchOperation>();
        services.AddSingleton<IFhirOperation, PixOperation>();
        services.AddSingleton<IFhirOperation, ReviewListOperation>();
        services.AddSingleton<IFhirOperation>(sp => ActivatorUtilities.CreateInstance<ReviewDecisionOperation>(sp, true));
        services.AddSingleton<IFhirOperation>(sp => ActivatorUtilities.CreateInstance<ReviewDecisionOperation>(sp, false));
        services.AddSingleton<IFhirOperation, MergeOperation>();
        services.AddSingleton<IFhirOperation, UnmergeOperation>();
        return services;
    }
}
