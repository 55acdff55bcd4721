namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>
/// An identifier once understood: its kind, the system it is compared under and its normalised value. Resident
/// ID numbers carry their parse (and their flags); only a valid one is strong evidence.
/// </summary>
internal sealed record ClassifiedIdentifier(IdentifierKind Kind, string System, string Value, ResidentIdNumber? ResidentId = null)
{
    public bool IsStrongEvidence => Kind != IdentifierKind.ResidentId || ResidentId is { IsValid: true };
}
