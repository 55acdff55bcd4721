using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.Audit;

public static class AuditLogServiceCollectionExtensions
{
    internal const string WitnessClientName = "openhip-audit-witness";

    /// <summary>
    /// The tamper-evident audit log as the audit sink: the store's audit tables, SM3-chained lanes, the group-commit
    /// writer for reads, write audits in the data's own transaction, and signed checkpoints to the witness.
    /// </summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.Equals(configuration[AuditLogOptions.SectionName + ":Enabled"], "false", StringComparison.OrdinalIgnoreCase))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuditLogOptions>()
            .BindConfiguration(AuditLogOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.WitnessUrl is null || o.AllowedWitnessUrls.Contains(o.WitnessUrl.ToString(), StringComparer.Ordinal),
                $"{AuditLogOptions.SectionName}:WitnessUrl must be one of {AuditLogOptions.SectionName}:AllowedWitnessUrls")
            .Validate(o => o.JournalBacklog >= o.MaxBatch, $"{AuditLogOptions.SectionName}:JournalBacklog must be at least MaxBatch")
            .ValidateOnStart();
        services.AddHttpClient(WitnessClientName, client => client.Timeout = TimeSpan.FromSeconds(5));

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuditLogOptions>>().Value);
        services.TryAddSingleton(sp => sp.GetRequiredService<IFhirStore>() as IAuditLog
            ?? throw new InvalidOperationException("The configured FHIR store keeps no audit log; turn Security:Audit:Enabled off or use SQLite or PostgreSQL"));
        services.AddSingleton<AuditLanes>();
        services.AddSingleton<IWriteAuditor>(sp => sp.GetRequiredService<AuditLanes>());
        services.AddSingleton<AuditLogWriter>();
        services.Replace(ServiceDescriptor.Singleton<IAuditSink>(sp => sp.GetRequiredService<AuditLogWriter>()));
        services.AddSingleton(sp =>
        {
            AuditLogOptions options = sp.GetRequiredService<AuditLogOptions>();
            AuditSigningKey key = AuditSigningKey.LoadOrCreate(options.ResolvedSigningKeyPath, out bool created);
            if (created)
            {
                AuditLogLog.KeyCreated(sp.GetRequiredService<ILogger<AuditSigningKey>>(), options.ResolvedSigningKeyPath, key.KeyId);
            }

            return key;
        });
        services.AddSingleton<IAuditWitness>(sp =>
        {
            AuditLogOptions options = sp.GetRequiredService<AuditLogOptions>();
            return options.WitnessUrl is { } url
                ? new HttpAuditWitness(sp.GetRequiredService<IHttpClientFactory>().CreateClient(WitnessClientName), url)
                : new FileAuditWitness(options.ResolvedWitnessPath);
        });
        services.AddSingleton<IAuditEventReader, AuditEventReader>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointer>());
        return services;
    }
}
