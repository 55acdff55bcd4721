using OpenHip.Conformance.Tests.Access;
using OpenHip.Testing;

namespace OpenHip.Conformance.Tests.Resources;

/// <summary>The conditional-create suite against the SQLite store.</summary>
public sealed class SqliteConditionalCreateTests(SqliteAccessServer server) : ConditionalCreateTests(server), IClassFixture<SqliteAccessServer>;

/// <summary>The conditional-create suite against the PostgreSQL store (same cases, same expectations).</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlConditionalCreateTests(PostgreSqlAccessServer server) : ConditionalCreateTests(server), IClassFixture<PostgreSqlAccessServer>;
