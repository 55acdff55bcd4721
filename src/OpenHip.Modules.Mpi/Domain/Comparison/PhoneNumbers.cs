namespace OpenHip.Modules.Mpi.Domain.Comparison;

/// <summary>
/// Phone numbers reduced to the digits a Chinese caller would dial at home: +86 / 0086 removed, mobiles as their
/// 11 digits (1[3-9]…), landlines with their trunk 0 and area code (0571 8888 8888 → 057188888888). Numbers
/// of other countries keep their digits.
/// </summary>
internal static class PhoneNumbers
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        bool international = text.TrimStart().StartsWith('+');
        string digits = string.Concat(text.Where(char.IsAsciiDigit));
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            digits = digits[2..];
        }

        // 86 and a mobile number keyed without the plus is still China.
        if (international || (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal) && IsMobile(digits[2..])))
        {
            if (!digits.StartsWith("86", StringComparison.Ordinal))
            {
                return "+" + digits;
            }

            digits = digits[2..];
            if (!IsMobile(digits) && digits.Length > 0 && digits[0] != '0')
            {
                digits = "0" + digits;
            }
        }

        return digits;
    }

    public static bool IsMobile(string digits) => digits.Length == 11 && digits[0] == '1' && digits[1] is >= '3' and <= '9';
}
