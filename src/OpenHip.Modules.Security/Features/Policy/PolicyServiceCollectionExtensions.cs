using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Security.Features.BreakGlass;
using OpenHip.Modules.Security.Features.Consent;
using OpenHip.Modules.Security.Features.Labels;

namespace OpenHip.Modules.Security.Features.Policy;

public static class PolicyServiceCollectionExtensions
{
    /// <summary>
    /// The access policies compiled from tokens (scopes, roles, purposes), consent, break-the-glass, and the security
    /// labels written at write. Registering it turns access control on: the engine then needs a token on every request.
    /// </summary>
    public static IServiceCollection AddAccessPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.SectionName).PostConfigure(o => o.AddDefaults()).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BreakGlassOptions>().BindConfiguration(BreakGlassOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LabelOptions>().BindConfiguration(LabelOptions.SectionName).Validate(ValidGrades, $"{LabelOptions.SectionName}:Grades must be 1 to 5").ValidateOnStart();

        services.AddSingleton<GranularFilterCompiler>();
        services.AddSingleton<AccessPolicyCompiler>();
        services.AddSingleton<AccessPolicyProvider>();
        services.AddSingleton<IAccessPolicyProvider>(sp => sp.GetRequiredService<AccessPolicyProvider>());

        services.AddSingleton<ConsentIndex>();
        services.AddSingleton<IChangeObserver, ConsentChangeObserver>();
        services.AddSingleton<IResourceWriteHook, ConsentWriteHook>();

        services.AddSingleton<BreakGlassGrants>();
        services.AddSingleton<IChangeObserver, BreakGlassChangeObserver>();
        services.AddSingleton<IResourceWriteHook, BreakGlassGuard>();
        services.AddSingleton<IFhirOperation, BreakGlassOperation>();

        services.AddSingleton<SecurityIndexLoader>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SecurityIndexLoader>());

        if (configuration.GetSection(LabelOptions.SectionName).GetValue(nameof(LabelOptions.Enabled), true))
        {
            services.AddSingleton(sp => new LabelClassifier(sp.GetRequiredService<IOptions<LabelOptions>>().Value));
            services.AddSingleton<IResourceWriteHook, LabelWriteHook>();
        }

        return services;
    }

    private static bool ValidGrades(LabelOptions options) => options.Grades.Values.All(g => g is >= 1 and <= 5);
}
