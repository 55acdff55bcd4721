using Npgsql;
using OpenHip.Fhir.Storage.PostgreSql;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>The PostgreSQL store's pool: what it adds to the operator's connection string, and what it leaves alone.</summary>
public sealed class PostgreSqlDataSourceTests
{
    [Fact]
    public async Task CreateDataSource_ConnectionStringWithoutAutoPrepare_PreparesRepeatedStatements()
    {
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateDataSource(new() { ConnectionString = "Host=127.0.0.1;Database=openhip;Username=openhip" });

        Assert.Equal(64, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=openhip;Max Auto Prepare=0")]
    [InlineData("Host=127.0.0.1;Database=openhip;maxautoprepare=0")]
    public async Task CreateDataSource_ConnectionStringSettingAutoPrepare_KeepsItsValue(string connectionString)
    {
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateDataSource(new() { ConnectionString = connectionString });

        Assert.Equal(0, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare);
    }
}
