namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>What an identifier is, whatever system it was written under.</summary>
internal enum IdentifierKind
{
    Other,
    ResidentId,
    Passport,
    HongKongMacauPermit,
    TaiwanPermit,
    ForeignPermanentResident,
    SocialInsurance,
    MedicalInsurance,
    HealthCard,
    Mrn,
}
