namespace OpenHip.Fhir.Audit;

/// <summary>Chained rows held for one commit; exactly one of <see cref="Committed"/> or <see cref="Abandoned"/> is called.</summary>
public abstract class AuditReservation
{
    public abstract IReadOnlyList<AuditRow> Rows { get; }

    /// <summary>The commit succeeded: the chain now ends with <see cref="Rows"/>.</summary>
    public abstract void Committed();

    /// <summary>The commit failed. <paramref name="rolledBack"/> is true when it certainly wrote nothing.</summary>
    public abstract void Abandoned(bool rolledBack);
}
