using Npgsql;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// Refreshes the planner statistics of the search tables while this node writes a lot: after 1,000 resources, then
/// 4,000, 16,000, ... PostgreSQL's autovacuum analyzes at most once a minute, and an ingest into a young database
/// outgrows its statistics faster than that: searches would be planned for nearly empty tables. A geometric schedule
/// costs a logarithmic number of ANALYZE runs; autovacuum keeps the steady state. The factor is four rather than two
/// since the conditional lookups no longer depend on statistics (their shape fixes the plan), and the five runs of a
/// 16,000-resource ingest took 1.8–2.9 s of its statement time (docs/performance.md, "Planned once").
/// </summary>
internal sealed class PlannerStatistics(NpgsqlDataSource dataSource)
{
    // Largest first, so that refreshing them on several connections ends with short ones.
    private static readonly string[] Tables =
        ["ix_token", "ix_reference", "ix_string", "resource_current", "ix_date", "ix_uri", "compartment", "ix_quantity", "ix_number", "search_param"];

    private static readonly string AnalyzeSql = "ANALYZE " + string.Join(", ", Tables);

    private long _written;
    private long _next = 1_000;
    private int _running;

    /// <summary>Counts committed resource writes and starts a refresh in the background when one is due.</summary>
    public void Written(int resources)
    {
        long written = Interlocked.Add(ref _written, resources);
        if (written < Interlocked.Read(ref _next) || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _next, written * 4);
        _ = Task.Run(AnalyzeAsync);
    }

    /// <summary>Refreshes them now in one statement.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = dataSource.CreateCommand(AnalyzeSql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refreshes them now, one table at a time on up to <paramref name="connections"/> connections, e.g. once after a bulk
    /// load (which does not count its writes here), when nothing else keeps the server's cores busy.
    /// </summary>
    public Task RefreshAsync(int connections, CancellationToken cancellationToken) =>
        ConnectionWorkers.RunAsync(dataSource, Tables, connections, async (connection, table, ct) =>
        {
            await using var command = new NpgsqlCommand("ANALYZE " + table, connection);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    private async Task AnalyzeAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Statistics only speed up planning; a failed refresh (no privilege, shutdown) must not reach any caller.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
