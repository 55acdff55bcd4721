using OpenHip.Testing;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>The write-audit suite on PostgreSQL: one database for the class, a fresh schema per test.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlAuditWriteTests(PostgreSqlTestDatabase database) : AuditWriteTests, IClassFixture<PostgreSqlTestDatabase>
{
    private protected override async Task<AuditLogHarness> CreateAsync() => await AuditLogHarness.PostgreSqlAsync(await database.CreateSchemaAsync());

    private protected override async Task<AuditLogHarness> CreateAsync(int lanes) =>
        await AuditLogHarness.PostgreSqlAsync(await database.CreateSchemaAsync(), lanes);
}
