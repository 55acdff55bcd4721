using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Surveillance.Features.Definitions;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;
using OpenHip.Modules.Surveillance.Features.Series;

namespace OpenHip.Modules.Surveillance;

/// <summary>Registers the surveillance module with the engine; called by the composition root.</summary>
public static class SurveillanceServiceCollectionExtensions
{
    public static IServiceCollection AddSurveillanceModule(this IServiceCollection services, SurveillanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<DetectorCatalog>();
        services.AddSingleton<OfflineDetection>();

        // Loaded here so a malformed definitions file stops start-up rather than the first batch.
        services.AddSingleton(CaseDefinitionCatalog.Load(options));
        services.AddSingleton<Func<IReadOnlyList<CaseDefinition>, EvidenceMatcher>>(sp =>
        {
            Func<string, IReadOnlyCollection<CodeToken>> expand = ValueSetExpander(sp.GetService<ITokenSetResolver>());
            return definitions => new EvidenceMatcher(definitions, expand);
        });
        services.AddSingleton<CaseDefinitionSource>();
        services.AddSingleton<OpenHip.Fhir.Resources.IResourceWriteHook, CaseDefinitionWriteHook>();
        services.AddSingleton<IFhirOperation, CaseDefinitionsOperation>();
        services.AddSingleton<ResidentLookup>();
        Features.Alerts.AlertRuleCheck.Validate(options.EffectiveAlertRules, [.. new DetectorCatalog().Names]);
        services.AddSingleton<Features.Alerts.AlertPlanner>();
        services.AddSingleton<OpenHip.Fhir.Resources.IResourceWriteHook, Features.Alerts.AlertTaskWriteHook>();
        services.AddSingleton<CaseDetector>();
        services.AddSingleton<CaseDetectionConsumer>();
        if (options.DetectCases)
        {
            services.AddSingleton<IOutboxConsumer>(sp => sp.GetRequiredService<CaseDetectionConsumer>());
        }

        services.AddSingleton<SeriesReader>();
        services.AddSingleton<IFhirOperation, SurveillanceSeriesOperation>();
        services.AddSingleton<IFhirOperation, Features.Backtest.SurveillanceBacktestOperation>();
        return services;
    }

    private static Func<string, IReadOnlyCollection<CodeToken>> ValueSetExpander(ITokenSetResolver? resolver) => url =>
        resolver?.Resolve(new TokenSetRequest(TokenSetKind.ValueSet, null, url))
            ?? throw new InvalidOperationException($"case definitions name value set '{url}' but no terminology module is registered");
}
