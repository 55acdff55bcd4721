namespace OpenHip.Fhir.Audit;

/// <summary>How urgently an audit record needs a person's attention.</summary>
public enum AuditPriority
{
    Normal,

    /// <summary>An override of the usual rules (break-the-glass): reviewed by a security officer.</summary>
    High,
}
