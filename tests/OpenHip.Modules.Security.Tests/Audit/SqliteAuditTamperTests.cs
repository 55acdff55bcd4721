namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class SqliteAuditTamperTests : AuditTamperTests
{
    private protected override Task<AuditLogHarness> CreateAsync() => AuditLogHarness.SqliteAsync();
}
