using OpenHip.Modules.Mpi.Domain.Identifiers;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Pairs that must never be linked automatically, whatever their score (they may still go to review): two
/// different valid national ID numbers are two people; and when both numbers are valid, a different recorded
/// sex means one record is not what it claims. Flagged numbers (bad check digit, mismatches) never trigger these:
/// a typo must not block a true match.
/// </summary>
internal static class CannotLinkRules
{
    public static bool Applies(PersonRecord a, PersonRecord b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.NationalIdValid || !b.NationalIdValid)
        {
            return false;
        }

        return a.NationalId != b.NationalId
            || (a.Sex != AdministrativeSex.Unknown && b.Sex != AdministrativeSex.Unknown && a.Sex != b.Sex);
    }
}
