using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The patient index is not covered by the hash chains, yet it is what a resident's view and a security officer's
/// per-patient search read: an entry deleted there hides an access from the patient, one added or moved there invents or
/// misdates one. Every event must be listed under each patient its (hash-verified) payload names, at its own time, and
/// the index may hold nothing else. Checked a batch of events at a time with key look-ups, never a full join.
/// </summary>
internal sealed class PatientIndexCheck(IAuditLog log, List<AuditFinding> findings)
{
    private const int Batch = 200;

    private readonly List<(string ChainId, AuditRow Row, long Id, string Patient)> _pending = [];
    private readonly HashSet<string> _reportedChains = new(StringComparer.Ordinal);
    private long _expected;

    // A damaged index page is reported once; what the index holds past it cannot be compared.
    private bool _unreadable;

    /// <summary>Adds an event whose hash verified (its payload is what was written).</summary>
    public async Task AddAsync(StoredAuditRow stored, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> patients;
        try
        {
            patients = AuditPayload.Read(stored.Row.Payload.Span).Patients;
        }
        catch (FormatException)
        {
            // The server never writes such a payload: the chain checks report it (here it only cannot name patients).
            return;
        }

        foreach (string patient in patients.Distinct(StringComparer.Ordinal))
        {
            _pending.Add((stored.Row.ChainId, stored.Row, stored.Id, patient));
            _expected++;
        }

        if (_pending.Count >= Batch)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks what is pending, then, when every event verified (only then is the number of patients they name known),
    /// that the index holds no entry beyond those the events name.
    /// </summary>
    public async Task FinishAsync(bool chainsIntact, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_unreadable)
        {
            return;
        }

        long stored;
        try
        {
            stored = await log.CountPatientEntriesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            Unreadable(ex);
            return;
        }

        if (chainsIntact && stored > _expected)
        {
            findings.Add(new AuditFinding("patient-index", null, null, null,
                $"the patient index has {stored - _expected} entries more than the events name: accesses were added to patients' views"));
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0 || _unreadable)
        {
            _pending.Clear();
            return;
        }

        IReadOnlyList<AuditPatientEntry> found;
        try
        {
            found = await log.ReadPatientEntriesAsync([.. _pending.Select(p => (p.Patient, p.Id))], cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            Unreadable(ex);
            _pending.Clear();
            return;
        }

        var entries = found.ToDictionary(e => (e.Patient, e.Id), e => e.Recorded);
        foreach ((string chainId, AuditRow row, long id, string patient) in _pending)
        {
            string? problem = !entries.TryGetValue((patient, id), out DateTimeOffset recorded)
                ? $"seq {row.Sequence} names patient {patient} but the patient index does not list it under {patient}: hidden from that patient's view"
                : recorded != row.Recorded
                    ? $"seq {row.Sequence} is listed under patient {patient} at {recorded:O} instead of {row.Recorded:O}"
                    : null;

            // The first problem of a chain is named, as for the chain checks.
            if (problem is not null && _reportedChains.Add(chainId))
            {
                findings.Add(new AuditFinding("patient-index", chainId, row.Sequence, row.Recorded, problem));
            }
        }

        _pending.Clear();
    }

    private void Unreadable(InvalidDataException ex)
    {
        _unreadable = true;
        findings.Add(new AuditFinding("patient-index", null, null, null, ex.Message + ": the patient index cannot be compared with the events"));
    }
}
