namespace OpenHip.Fhir.Audit;

/// <summary>
/// Every interaction is reported here (who, what, when, outcome, patient). The engine's default sink only logs ids;
/// the security module replaces it with a BALP-shaped, tamper-evident AuditEvent chain.
/// </summary>
public interface IAuditSink
{
    ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// True when the sink keeps one event per patient whose data a search returned (IHE BALP), so the API looks up
    /// those patients; a sink that only logs spares every search that lookup.
    /// </summary>
    bool RecordsPatientsOfResults => false;
}
