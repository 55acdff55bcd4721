namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class SqliteAuditWriteTests : AuditWriteTests
{
    private protected override Task<AuditLogHarness> CreateAsync() => AuditLogHarness.SqliteAsync();

    private protected override Task<AuditLogHarness> CreateAsync(int lanes) => AuditLogHarness.SqliteAsync(lanes);
}
