namespace OpenHip.Conformance.Tests.Search;

/// <summary>The search conformance suite against the SQLite store.</summary>
public sealed class SqliteSearchConformanceTests(SqliteSearchServers servers)
    : SearchConformanceTests(servers), IClassFixture<SqliteSearchServers>;
