using System.Globalization;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>The reads of the patient index's pages (<see cref="HashedKeyPage"/>, and the older <see cref="AuditKeyPage"/>), where the store keeps them.</summary>
public sealed partial class AuditLogReader
{
    /// <summary>
    /// In one statement, so that every run is read in the same snapshot (a merge completing meanwhile would otherwise
    /// move keys from runs not yet read into one already read): per complete run, the pages from the first whose last
    /// patient is at or after <paramref name="patient"/> to the first whose last patient is after it, keeping those that
    /// start at or before it. Two seeks and a short range per run: the CROSS JOIN keeps SQLite's planner from scanning
    /// every page instead (which it chose, without statistics). Over the hashed pages, or (<paramref name="ids"/>) over
    /// the pages of ids, which nothing writes or merges any more.
    /// </summary>
    private static string PagesOfPatientSql(string patient, bool ids)
    {
        (string runs, string pages, string first, string last) = ids
            ? ("audit_patient_page_run", "audit_patient_page", "first_patient", "last_patient")
            : ("audit_patient_hash_run", "audit_patient_hash_page", "first_hash", "last_hash");
        return $"""
            SELECT p.run, p.page_no, p.page FROM {runs} r CROSS JOIN {pages} p
            WHERE r.keys IS NOT NULL AND p.run = r.run
                AND p.page_no >= (SELECT s.page_no FROM {pages} s WHERE s.run = r.run AND s.{last} >= {patient} ORDER BY s.{last}, s.page_no LIMIT 1)
                AND p.page_no <= COALESCE((SELECT e.page_no FROM {pages} e WHERE e.run = r.run AND e.{last} > {patient} ORDER BY e.{last}, e.page_no LIMIT 1), {long.MaxValue.ToString(CultureInfo.InvariantCulture)})
                AND p.{first} <= {patient}
            """;
    }

    /// <summary>
    /// The patient's keys in the complete runs' pages, in (recorded, aid) order: those under the id's hash, which may
    /// include another patient's events (<see cref="HashedPatientKey"/>), and those under the id in the older pages.
    /// </summary>
    /// <exception cref="InvalidDataException">A page is not one the writer wrote.</exception>
    private async Task<List<(long Recorded, long Aid)>> PagedKeysAsync(string patient, CancellationToken cancellationToken)
    {
        var keys = new List<(long Recorded, long Aid)>();
        long hash = HashedPatientKey.Of(patient);
        await ReadPagesAsync<HashedPatientKey>(PagesOfPatientSql(P("hash"), ids: false), [new("hash", hash)], HashedKeyPage.Decode, page =>
            keys.AddRange(page.Where(k => k.Patient == hash).Select(k => (k.Recorded, k.Aid))), cancellationToken).ConfigureAwait(false);
        await ReadPagesAsync<AuditPatientKey>(PagesOfPatientSql(P("patient"), ids: true), [new("patient", patient)], AuditKeyPage.Decode, page =>
            keys.AddRange(page.Where(k => k.Patient == patient).Select(k => (k.Recorded, k.Aid))), cancellationToken).ConfigureAwait(false);
        keys.Sort();
        return keys;
    }

    /// <summary>The keys in every complete run's pages, each page decoded (a count kept beside them could be wrong).</summary>
    private async Task<long> CountPagedKeysAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        await ReadPagesAsync<HashedPatientKey>(
            "SELECT p.run, p.page_no, p.page FROM audit_patient_hash_run r JOIN audit_patient_hash_page p ON p.run = r.run WHERE r.keys IS NOT NULL",
            [], HashedKeyPage.Decode, page => count += page.Count, cancellationToken).ConfigureAwait(false);
        await ReadPagesAsync<AuditPatientKey>(
            "SELECT p.run, p.page_no, p.page FROM audit_patient_page_run r JOIN audit_patient_page p ON p.run = r.run WHERE r.keys IS NOT NULL",
            [], AuditKeyPage.Decode, page => count += page.Count, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Each page of (run, page_no, page) rows the query gives, decoded.</summary>
    /// <exception cref="InvalidDataException">A page is not one the writer wrote.</exception>
    private Task ReadPagesAsync<TKey>(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> values, PageDecoder<TKey> decode, Action<List<TKey>> read, CancellationToken cancellationToken)
    {
        var keys = new List<TKey>();
        return ReadAsync(sql, values, reader =>
        {
            keys.Clear();
            try
            {
                decode(reader.GetFieldValue<byte[]>(2), keys);
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"Page {reader.GetInt64(1)} of run {reader.GetInt64(0)} of the audit patient index is damaged: {ex.Message}", ex);
            }

            read(keys);
        }, cancellationToken);
    }

    private delegate void PageDecoder<TKey>(ReadOnlySpan<byte> page, List<TKey> keys);
}
