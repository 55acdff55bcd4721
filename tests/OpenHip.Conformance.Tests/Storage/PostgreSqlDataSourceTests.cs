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

    [Fact]
    public async Task CreateDataSource_ConnectionStringWithoutResetSetting_LeavesPooledSessionsAsTheyAre()
    {
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateDataSource(new() { ConnectionString = "Host=127.0.0.1;Database=openhip;Username=openhip" });

        Assert.True(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).NoResetOnClose);
    }

    [Fact]
    public async Task CreateDataSource_ConnectionStringAskingForReset_KeepsIt()
    {
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateDataSource(new() { ConnectionString = "Host=127.0.0.1;Database=openhip;No Reset On Close=false" });

        Assert.False(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).NoResetOnClose);
    }

    [Fact]
    public async Task CreateLeaseDataSource_EvenWhenTheConnectionStringSaysNoReset_ResetsOnClose()
    {
        // A lease's session advisory lock must never travel with a pooled connection to its next renter.
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateLeaseDataSource(new() { ConnectionString = "Host=127.0.0.1;Database=openhip;No Reset On Close=true" });

        Assert.False(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).NoResetOnClose);
    }

    [Fact]
    public async Task CreateDataSource_ConnectionStringWithoutPoolSize_CapsThePoolToTheHost()
    {
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateDataSource(new() { ConnectionString = "Host=127.0.0.1;Database=openhip;Username=openhip" });

        Assert.Equal(PostgreSqlFhirStore.DefaultMaxPoolSize(Environment.ProcessorCount), new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(4, 16)]
    [InlineData(64, 100)]
    public void DefaultMaxPoolSize_ByCores_FourPerCoreBetweenEightAndNpgsqlsDefault(int processors, int expected) =>
        Assert.Equal(expected, PostgreSqlFhirStore.DefaultMaxPoolSize(processors));

    [Theory]
    [InlineData("Host=127.0.0.1;Database=openhip;Maximum Pool Size=50")]
    [InlineData("Host=127.0.0.1;Database=openhip;maxpoolsize=50")]
    public async Task CreateDataSource_ConnectionStringSettingPoolSize_KeepsItsValue(string connectionString)
    {
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateDataSource(new() { ConnectionString = connectionString });

        Assert.Equal(50, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public async Task CreateDataSource_MinimumPoolAboveTheDefaultCap_RaisesTheCapToIt()
    {
        await using NpgsqlDataSource dataSource = PostgreSqlFhirStore.CreateDataSource(new() { ConnectionString = "Host=127.0.0.1;Database=openhip;Minimum Pool Size=120" });

        Assert.Equal(120, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
    }
}
