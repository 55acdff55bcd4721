namespace OpenHip.Modules.Surveillance.Domain.Statistics;

/// <summary>
/// Upper limits of the 95 % confidence intervals for a Poisson mean of Crow and Gardner (1959) for counts 0..20, to
/// three decimals, the table L. Sachs (Angewandte Statistik, 1991, p. 446) reprints and the RKI detector uses.
/// </summary>
/// <remarks>
/// Crow and Gardner take for each mean μ the shortest run of counts with probability ≥ 0.95 (of equally short
/// runs, the one starting highest); the upper limit for a count x is the μ at which that run starts above x.
/// These are shorter than the exact (Garwood) limits (5.323 against 5.572 for x = 1). The values are that
/// construction rounded to three decimals, the precision of the printed table; x = 1..4 are checked against R's
/// reference output (5.323, 6.686, 8.102, 9.598), the construction for every x by a unit test.
/// </remarks>
internal static class CrowGardnerLimits
{
    private static readonly double[] Upper95 =
    [
        3.285, 5.323, 6.686, 8.102, 9.598, 11.177, 12.817, 13.765, 14.921, 16.768, 17.633,
        19.051, 20.335, 21.364, 22.945, 23.762, 25.400, 26.306, 27.735, 28.966, 30.017,
    ];

    public static int MaxCount => Upper95.Length - 1;

    /// <summary>The 95 % upper limit for the count <paramref name="x"/> (0..<see cref="MaxCount"/>).</summary>
    public static double Upper(int x) => Upper95[x];
}
