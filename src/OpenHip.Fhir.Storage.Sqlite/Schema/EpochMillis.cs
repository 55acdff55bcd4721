namespace OpenHip.Fhir.Storage.Sqlite.Schema;

/// <summary>
/// Instants are stored as unix-epoch milliseconds (UTC): integers sort and compare in SQL, and the engine sets
/// lastUpdated to millisecond precision, so the instant round-trips exactly. The offset comes back as UTC.
/// </summary>
internal static class EpochMillis
{
    public static long From(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset To(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
