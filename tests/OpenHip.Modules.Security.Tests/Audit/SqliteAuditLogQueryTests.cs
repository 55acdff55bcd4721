namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class SqliteAuditLogQueryTests : AuditLogQueryTests
{
    private protected override Task<AuditLogHarness> CreateAsync() => AuditLogHarness.SqliteAsync();
}
