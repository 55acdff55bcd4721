using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Audit;
using OpenHip.Modules.Security.Tests.Http;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>A real server with the audit log as its audit sink (no access policies), the test login in front, and a log that can be made to fail.</summary>
public sealed class AuditServerFixture : SecurityServerFixture
{
    internal SwitchableAuditLog Log => (SwitchableAuditLog)Services.GetRequiredService<IAuditLog>();

    public IAuditLog Store => (IAuditLog)Services.GetRequiredService<IFhirStore>();

    /// <summary>Every audit event of <paramref name="who"/> so far, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> EventsByAsync(string who)
    {
        AuditPage page = await Store.SearchAuditAsync(new AuditQuery(Agent: who, Count: 1000), CancellationToken.None);
        return [.. page.Rows.Select(r => AuditPayload.Read(r.Row.Payload.Span))];
    }

    protected override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuditLog(configuration);
        services.Replace(ServiceDescriptor.Singleton<IAuditLog>(sp => new SwitchableAuditLog((IAuditLog)sp.GetRequiredService<IFhirStore>())));
    }
}
