using System.Globalization;

namespace OpenHip.Modules.Synthetic.Domain;

/// <summary>
/// GB 11643-1999 citizen identity number: 6-digit division code (GB/T 2260), birth date yyyyMMdd, 3-digit
/// sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
/// </summary>
internal static class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public static string Create(string divisionCode, DateOnly birthDate, int sequence)
    {
        if (divisionCode.Length != 6 || sequence is < 1 or > 999)
        {
            throw new ArgumentException("Division code must have 6 digits and the sequence must be 1-999.");
        }

        string body = string.Create(CultureInfo.InvariantCulture, $"{divisionCode}{birthDate:yyyyMMdd}{sequence:D3}");
        return body + CheckCharacter(body);
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    public static bool IsValid(string value)
    {
        if (value.Length != 18)
        {
            return false;
        }

        for (int i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        return CheckCharacter(value.AsSpan(0, 17)) == char.ToUpperInvariant(value[17])
            && DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    public static DateOnly BirthDate(string value) =>
        DateOnly.ParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool IsMale(string value) => (value[16] - '0') % 2 == 1;

    /// <summary>Swaps two adjacent, different digits among the first 17; MOD 11-2 detects every such swap.</summary>
    public static string TransposeAdjacentDigits(string value, DeterministicRandom random)
    {
        char[] chars = value.ToCharArray();
        int start = random.Next(16);
        for (int attempt = 0; attempt < 16; attempt++)
        {
            int i = (start + attempt) % 16;
            if (chars[i] != chars[i + 1])
            {
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                return new string(chars);
            }
        }

        return value;
    }
}
