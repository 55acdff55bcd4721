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

    internal AuditLogWriter Writer => Services.GetRequiredService<AuditLogWriter>();

    public IAuditLog Store => (IAuditLog)Services.GetRequiredService<IFhirStore>();

    /// <summary>Every audit event of <paramref name="who"/> so far, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> EventsByAsync(string who)
    {
        await Writer.FlushAsync(CancellationToken.None);
        AuditPage page = await Store.SearchAuditAsync(new AuditQuery(Agent: who, Count: 1000), CancellationToken.None);
        return [.. page.Rows.Select(r => AuditPayload.Read(r.Row.Payload.Span))];
    }

    /// <summary>
    /// Until disposed, the journal cannot write: its current segment is given up and a directory stands where the next
    /// one would be created (a real I/O failure, as a full or read-only disk gives).
    /// </summary>
    internal IDisposable JournalUnwritable()
    {
        AuditJournal journal = Writer.Journal ?? throw new InvalidOperationException("The audit journal has not started");
        journal.Abandon();
        string obstacle = journal.NextSegmentPath;
        Directory.CreateDirectory(obstacle);
        return new Obstacle(obstacle);
    }

    protected override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuditLog(configuration);
        services.Replace(ServiceDescriptor.Singleton<IAuditLog>(sp => new SwitchableAuditLog((IAuditLog)sp.GetRequiredService<IFhirStore>())));
    }

    private sealed class Obstacle(string path) : IDisposable
    {
        public void Dispose() => Directory.Delete(path);
    }
}
