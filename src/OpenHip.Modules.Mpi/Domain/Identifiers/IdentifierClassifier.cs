namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>
/// Decides what an identifier is. The system decides first; the v2-0203 type is the fallback, so a national ID
/// sent by an institution under its own system with type NI is still recognised (ARCHITECTURE.md data conventions).
/// </summary>
internal static class IdentifierClassifier
{
    public static ClassifiedIdentifier Classify(RawIdentifier raw, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string system = raw.System ?? string.Empty;
        string? type = raw.TypeSystem is null or IdentifierSystems.V2IdentifierType ? raw.TypeCode : null;
        string value = raw.Value.Trim();

        if (system == IdentifierSystems.ResidentId || (type == "NI" && LooksLikeResidentId(value)))
        {
            ResidentIdNumber parsed = ResidentIdNumber.Parse(value, today);
            return new ClassifiedIdentifier(IdentifierKind.ResidentId, IdentifierSystems.ResidentId, parsed.Value, parsed);
        }

        IdentifierKind kind = KindOfSystem(system, type);

        // Permit, passport and card numbers are printed in capitals and often keyed with spaces: compare them bare.
        string normalised = kind is IdentifierKind.Other or IdentifierKind.Mrn ? value : Bare(value);
        return new ClassifiedIdentifier(kind, system, normalised);
    }

    private static IdentifierKind KindOfSystem(string system, string? type) => system switch
    {
        IdentifierSystems.HongKongMacauPermit => IdentifierKind.HongKongMacauPermit,
        IdentifierSystems.TaiwanPermit => IdentifierKind.TaiwanPermit,
        IdentifierSystems.ForeignPermanentResident => IdentifierKind.ForeignPermanentResident,
        IdentifierSystems.SocialInsurance => IdentifierKind.SocialInsurance,
        IdentifierSystems.MedicalInsurance => IdentifierKind.MedicalInsurance,
        IdentifierSystems.HealthCard => IdentifierKind.HealthCard,
        _ when system.StartsWith(IdentifierSystems.PassportPrefix, StringComparison.Ordinal) => IdentifierKind.Passport,
        _ when system.StartsWith(IdentifierSystems.MrnPrefix, StringComparison.Ordinal) => IdentifierKind.Mrn,
        _ => type switch
        {
            "PPN" => IdentifierKind.Passport,
            "MR" => IdentifierKind.Mrn,
            "SS" => IdentifierKind.SocialInsurance,
            "HC" => IdentifierKind.HealthCard,
            _ => IdentifierKind.Other,
        },
    };

    /// <summary>17 digits and a digit or X, ignoring spaces and hyphens: the NI rule wants the 18-digit form.</summary>
    private static bool LooksLikeResidentId(string value)
    {
        string bare = Bare(value);
        return bare.Length == 18 && !bare.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9') && (char.IsAsciiDigit(bare[17]) || bare[17] == 'X');
    }

    private static string Bare(string value) =>
        string.Concat(value.Where(c => c is not (' ' or '-' or '\u3000'))).ToUpperInvariant();
}
