namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>
/// ISO 7064 MOD 11-2 as GB 11643 uses it: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 written X.
/// It detects every single-digit error and every adjacent transposition, which is why a failed check means a typo.
/// </summary>
internal static class Mod11Check
{
    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    private const string Characters = "10X98765432";

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return Characters[sum % 11];
    }
}
