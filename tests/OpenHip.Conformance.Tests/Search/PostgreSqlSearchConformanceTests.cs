using OpenHip.Testing;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>The search conformance suite against the PostgreSQL store.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlSearchConformanceTests(PostgreSqlSearchServers servers)
    : SearchConformanceTests(servers), IClassFixture<PostgreSqlSearchServers>;
