using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Content;
using OpenHip.Modules.Terminology.Features.Bindings;
using OpenHip.Modules.Terminology.Features.Expand;
using OpenHip.Modules.Terminology.Features.Lookup;
using OpenHip.Modules.Terminology.Features.SearchModifiers;
using OpenHip.Modules.Terminology.Features.Subsumes;
using OpenHip.Modules.Terminology.Features.Translate;
using OpenHip.Modules.Terminology.Features.ValidateCode;
using OpenHip.Modules.Terminology.Loading;

namespace OpenHip.Modules.Terminology;

/// <summary>Registers the terminology service with the engine; called by the composition root.</summary>
public static class TerminologyServiceCollectionExtensions
{
    public static IServiceCollection AddTerminologyModule(this IServiceCollection services, TerminologyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TerminologyCatalog>();
        services.AddSingleton<TerminologySync>();
        services.AddSingleton<IChangeObserver>(sp => sp.GetRequiredService<TerminologySync>());
        services.AddSingleton<ITokenSetResolver, TerminologyTokenSetResolver>();
        services.AddSingleton<ICodeAncestry, CatalogCodeAncestry>();
        services.AddSingleton(new BindingRules(options.CheckedStrengths));
        services.AddSingleton<BindingChecker>();
        services.AddSingleton<JsonBindingChecker>();
        services.AddSingleton<IResourceWriteHook, TerminologyWriteHook>();
        services.AddSingleton<IFhirOperation, LookupOperation>();
        services.AddSingleton<IFhirOperation, ValidateCodeOperation>();
        services.AddSingleton<IFhirOperation, SubsumesOperation>();
        services.AddSingleton<IFhirOperation, ExpandOperation>();
        services.AddSingleton<IFhirOperation, TranslateOperation>();
        services.AddSingleton<TerminologyWriter>();
        services.AddSingleton<ShippedContentSeeder>();
        return services;
    }

    /// <summary>
    /// Compiles the stored terminology (later writes of any node arrive through the change feed); the composition root
    /// runs it once before the server takes requests, so searches with <c>:in</c>/<c>:below</c> and binding checks see it from the first.
    /// </summary>
    public static Task StartTerminologyModuleAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<TerminologySync>().LoadAsync(cancellationToken);
}
