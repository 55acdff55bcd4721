namespace OpenHip.Modules.Mpi.Domain.Comparison;

/// <summary>
/// Allocation-free string measures for the comparison hot loop (bit masks and spans; names and lines are short).
/// </summary>
internal static class StringSimilarity
{
    /// <summary>Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4).</summary>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b))
        {
            return a.IsEmpty ? 0 : 1;
        }

        // Matched positions are bit masks: names and address lines are far shorter than 64 characters.
        if (a.IsEmpty || b.IsEmpty || a.Length > 64 || b.Length > 64)
        {
            return 0;
        }

        int window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        ulong matchedA = 0;
        ulong matchedB = 0;
        int matches = 0;
        if (!IsAscii(a) || !IsAscii(b))
        {
            MatchByScan(a, b, window, ref matchedA, ref matchedB, ref matches);
        }
        else
        {
            MatchByPositions(a, b, window, ref matchedA, ref matchedB, ref matches);
        }

        if (matches == 0)
        {
            return 0;
        }

        int transpositions = 0;
        ulong restB = matchedB;
        ulong restA = matchedA;
        while (restA != 0)
        {
            int i = System.Numerics.BitOperations.TrailingZeroCount(restA);
            int k = System.Numerics.BitOperations.TrailingZeroCount(restB);
            if (a[i] != b[k])
            {
                transpositions++;
            }

            restA &= restA - 1;
            restB &= restB - 1;
        }

        double m = matches;
        double jaro = ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2.0)) / m)) / 3.0;
        int prefix = 0;
        int maxPrefix = Math.Min(4, Math.Min(a.Length, b.Length));
        while (prefix < maxPrefix && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * 0.1 * (1 - jaro));
    }

    private const int AsciiPositions = 128;

    private static bool IsAscii(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (c >= AsciiPositions)
            {
                return false;
            }
        }

        return true;
    }

    // Per thread: where each ASCII character occurs in b, so finding a's partner is a few bit operations
    // instead of a scan of the window. All zero between calls: each call sets and then clears b's entries only.
    [ThreadStatic]
    private static ulong[]? _positions;

    private static void MatchByPositions(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int window, ref ulong matchedA, ref ulong matchedB, ref int matches)
    {
        ulong[] positions = _positions ??= new ulong[AsciiPositions];
        for (int j = 0; j < b.Length; j++)
        {
            positions[b[j]] |= 1UL << j;
        }

        for (int i = 0; i < a.Length; i++)
        {
            int from = Math.Max(0, i - window);
            int to = Math.Min(b.Length - 1, i + window);
            if (from > to)
            {
                continue;
            }

            // Bits from..to inclusive.
            ulong range = (to == 63 ? ulong.MaxValue : (1UL << (to + 1)) - 1) & ~((1UL << from) - 1);
            ulong free = positions[a[i]] & range & ~matchedB;
            if (free != 0)
            {
                matchedA |= 1UL << i;
                matchedB |= free & (~free + 1);
                matches++;
            }
        }

        foreach (char c in b)
        {
            positions[c] = 0;
        }
    }

    private static void MatchByScan(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int window, ref ulong matchedA, ref ulong matchedB, ref int matches)
    {
        for (int i = 0; i < a.Length; i++)
        {
            int from = Math.Max(0, i - window);
            int to = Math.Min(b.Length - 1, i + window);
            char c = a[i];
            for (int j = from; j <= to; j++)
            {
                if ((matchedB & (1UL << j)) == 0 && c == b[j])
                {
                    matchedA |= 1UL << i;
                    matchedB |= 1UL << j;
                    matches++;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// True when at most one substitution, insertion, deletion or adjacent transposition turns one into the
    /// other: the keying error of identifiers, phones and postcodes. Linear, unlike the general distance.
    /// </summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length < b.Length)
        {
            return WithinOneEdit(b, a);
        }

        if (a.Length - b.Length > 1)
        {
            return false;
        }

        int i = a.CommonPrefixLength(b);
        if (i == b.Length)
        {
            return true;
        }

        if (a.Length > b.Length)
        {
            return a[(i + 1)..].SequenceEqual(b[i..]);
        }

        return a[(i + 1)..].SequenceEqual(b[(i + 1)..])
            || (i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]));
    }

    /// <summary>True when equal-length strings differ only by one swap of two adjacent characters.</summary>
    public static bool IsAdjacentTransposition(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        int i = a.CommonPrefixLength(b);
        return i < a.Length - 1 && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]);
    }
}
