using OpenHip.Testing;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>The query suite on PostgreSQL: one database for the class, a fresh schema per test.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlAuditLogQueryTests(PostgreSqlTestDatabase database) : AuditLogQueryTests, IClassFixture<PostgreSqlTestDatabase>
{
    private protected override async Task<AuditLogHarness> CreateAsync() =>
        await AuditLogHarness.PostgreSqlAsync(await database.CreateSchemaAsync());
}
