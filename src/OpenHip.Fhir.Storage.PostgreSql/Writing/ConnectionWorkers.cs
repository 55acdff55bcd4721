using System.Collections.Concurrent;
using Npgsql;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// Runs independent statements (index builds, per-table ANALYZE) on a few connections at once, each connection taking
/// the next item when it finishes one. A single <c>CREATE INDEX</c> or <c>ANALYZE</c> keeps one server core busy (a
/// B-tree build adds at most a parallel worker or two, a GIN build none), so at the end of a bulk load, when nothing
/// else is written, one connection leaves a second core idle.
/// </summary>
internal static class ConnectionWorkers
{
    /// <summary>
    /// Connections used at a load's end. Two: the end of a 96,000-resource import on a 2-core host went from 5.7 s of
    /// index builds to 3.65 s (docs/performance.md, "Bulk import, fourth pass"); more would only queue on such a host.
    /// </summary>
    public const int EndOfLoad = 2;

    /// <summary>Runs <paramref name="work"/> for every item, in the given order of starting, on up to <paramref name="connections"/> connections.</summary>
    public static async Task RunAsync<T>(
        NpgsqlDataSource dataSource, IReadOnlyCollection<T> items, int connections, Func<NpgsqlConnection, T, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<T>(items);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(connections, items.Count)).Select(_ => Task.Run(WorkAsync, cancellationToken))).ConfigureAwait(false);

        async Task WorkAsync()
        {
            await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            while (queue.TryDequeue(out T? item))
            {
                await work(connection, item, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
