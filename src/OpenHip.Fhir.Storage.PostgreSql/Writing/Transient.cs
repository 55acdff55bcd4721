using Npgsql;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// Runs a whole transaction again when PostgreSQL aborted it for a reason that a second try can avoid: a
/// deadlock between two changesets that touch the same resources in different orders, or a serialization failure.
/// Nothing of an aborted try is left behind, so trying again is safe.
/// </summary>
internal static class Transient
{
    public static async Task<T> RunAsync<T>(int retries, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (int tried = 0; ; tried++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (PostgresException ex) when (tried < retries && IsTransient(ex))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static bool IsTransient(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
