using System.Globalization;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>The reads of the patient index's pages (<see cref="AuditKeyPage"/>), where the store keeps them.</summary>
public sealed partial class AuditLogReader
{
    /// <summary>
    /// In one statement, so that every run is read in the same snapshot (a merge completing meanwhile would otherwise
    /// move keys from runs not yet read into one already read): per complete run, the pages from the first whose last
    /// patient is at or after the patient to the first whose last patient is after it, keeping those that start at or
    /// before the patient. Two seeks and a short range per run: the CROSS JOIN keeps SQLite's planner from scanning
    /// every page instead (which it chose, without statistics).
    /// </summary>
    private string PagesOfPatientSql =>
        $"""
        SELECT p.run, p.page_no, p.page FROM audit_patient_page_run r CROSS JOIN audit_patient_page p
        WHERE r.keys IS NOT NULL AND p.run = r.run
            AND p.page_no >= (SELECT s.page_no FROM audit_patient_page s WHERE s.run = r.run AND s.last_patient >= {P("patient")} ORDER BY s.last_patient, s.page_no LIMIT 1)
            AND p.page_no <= COALESCE((SELECT e.page_no FROM audit_patient_page e WHERE e.run = r.run AND e.last_patient > {P("patient")} ORDER BY e.last_patient, e.page_no LIMIT 1), {long.MaxValue.ToString(CultureInfo.InvariantCulture)})
            AND p.first_patient <= {P("patient")}
        """;

    /// <summary>The patient's keys in the complete runs' pages, in (recorded, aid) order.</summary>
    /// <exception cref="InvalidDataException">A page is not one the writer wrote.</exception>
    private async Task<List<AuditPatientKey>> PagedKeysAsync(string patient, CancellationToken cancellationToken)
    {
        var keys = new List<AuditPatientKey>();
        var decoded = new List<AuditPatientKey>();
        await ReadAsync(PagesOfPatientSql, [new("patient", patient)], reader =>
        {
            decoded.Clear();
            Decode(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), decoded);
            keys.AddRange(decoded.Where(k => k.Patient == patient));
        }, cancellationToken).ConfigureAwait(false);
        keys.Sort(static (a, b) => a.Recorded != b.Recorded ? a.Recorded.CompareTo(b.Recorded) : a.Aid.CompareTo(b.Aid));
        return keys;
    }

    /// <summary>The keys in every complete run's pages, each page decoded (a count kept beside them could be wrong).</summary>
    private async Task<long> CountPagedKeysAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        var decoded = new List<AuditPatientKey>();
        const string sql = "SELECT p.run, p.page_no, p.page FROM audit_patient_page_run r JOIN audit_patient_page p ON p.run = r.run WHERE r.keys IS NOT NULL";
        await ReadAsync(sql, [], reader =>
        {
            decoded.Clear();
            Decode(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), decoded);
            count += decoded.Count;
        }, cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static void Decode(long run, long pageNo, byte[] page, List<AuditPatientKey> keys)
    {
        try
        {
            AuditKeyPage.Decode(page, keys);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"Page {pageNo} of run {run} of the audit patient index is damaged: {ex.Message}", ex);
        }
    }
}
