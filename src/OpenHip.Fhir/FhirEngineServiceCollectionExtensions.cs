using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Capabilities;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Search.Reindexing;
using OpenHip.Fhir.Transactions;

namespace OpenHip.Fhir;

/// <summary>Registers the engine's services; a storage provider and the HTTP edge are added by the composition root.</summary>
public static class FhirEngineServiceCollectionExtensions
{
    public static IServiceCollection AddFhirEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IResourceIdGenerator, SequentialGuidIdGenerator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FhirEngineOptions>, FhirEngineOptionsValidator>());
        services.AddSingleton<RegionTimeZone>();
        services.AddSingleton<SearchParameterRegistry>();
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<CompartmentIndexer>();
        services.AddSingleton<SearchRequestParser>();
        services.AddSingleton<StoredSearchParameterLoader>();
        services.AddSingleton<IResourceWriteHook, SearchParameterWriteHook>();
        services.AddSingleton<IChangeObserver, SearchParameterChangeObserver>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<LocalCommits>();
        services.AddSingleton<ChangeFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<ChangeFeed>());
        services.AddHostedService<OutboxDispatcher>();
        services.AddSingleton<ChangesetCommitter>();
        services.AddSingleton<ConditionalQueryParser>();
        services.AddSingleton<ResourceWriteFactory>();
        services.AddSingleton<ResourceService>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<Audit.AuditEventSearch>();
        services.AddSingleton<Access.SearchAccess>();
        services.AddSingleton<Access.AccessGuard>();
        services.AddSingleton<EverythingService>();
        services.AddSingleton<ReindexRunner>();
        services.AddSingleton<Search.Terminology.TokenClosureMaintainer>();
        services.AddHostedService<Search.Terminology.TokenClosureService>();
        services.AddSingleton<IFhirOperation, ReindexOperation>();
        services.AddSingleton<TransactionProcessor>();
        services.AddSingleton<Import.BulkImporter>();
        services.AddSingleton<BatchProcessor>();
        services.AddSingleton<IFhirOperation, ValidateOperation>();
        services.AddSingleton<OperationRegistry>();
        services.AddSingleton<CapabilityStatementBuilder>();
        services.AddSingleton<Subscriptions.SubscriptionSignal>();
        services.AddSingleton<Subscriptions.RestHookSender>();
        services.AddSingleton<IResourceWriteHook, Subscriptions.SubscriptionWriteHook>();
        services.AddSingleton<IOutboxConsumer, Subscriptions.SubscriptionActivations>();
        services.AddHostedService<Subscriptions.SubscriptionDelivery>();
        return services;
    }
}
