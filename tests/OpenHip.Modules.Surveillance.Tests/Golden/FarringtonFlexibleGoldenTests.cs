using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Golden;

/// <summary>
/// Farrington flexible against R. Where the port and R agree completely the whole file is compared; where they
/// differ (docs/surveillance.md, "Known differences": the trend decision and the prediction error of trend
/// models) the rows on which both fitted without trend are compared, so the fit, dispersion, reweighting, 5-in-4
/// rule and delta threshold stay verified there.
/// </summary>
public sealed class FarringtonFlexibleGoldenTests
{
    [SkippableTheory]
    [InlineData("agona")]
    [InlineData("ha")]
    [InlineData("sim_pointsource")]
    public void FarringtonFlexible_NoufailyOnWeekNumbers_MatchesRBoundsAndAlarms(string series)
    {
        DetectionResult result = FarringtonFlexible.Detect(GoldenData.Series(series), FarringtonFlexibleOptions.Noufaily);

        GoldenAssert.Matches($"{series}__farringtonFlexible_noufaily.csv", result);
    }

    [SkippableTheory]
    [InlineData("agona")]
    [InlineData("ha")]
    [InlineData("sim_pointsource")]
    public void FarringtonFlexible_NoufailyOnWeekNumbers_MatchesRDiagnostics(string series)
    {
        FarringtonFlexible.Detect(GoldenData.Series(series), FarringtonFlexibleOptions.Noufaily, out FarringtonDiagnostics diagnostics);

        GoldenAssert.ColumnsMatch($"{series}__farringtonFlexible_noufaily_diag.csv", new Dictionary<string, Func<int, double>>
        {
            ["expected"] = t => diagnostics.Expected[t - 1],
            ["phi"] = t => diagnostics.Phi[t - 1],
            ["trendCoef"] = t => diagnostics.TrendCoefficient[t - 1],
            ["pvalue"] = t => diagnostics.PValue[t - 1],
            ["mu0"] = t => diagnostics.Mu0[t - 1],
        });
    }

    [SkippableTheory]
    [InlineData("agona")]
    [InlineData("ha")]
    [InlineData("salmNewport")]
    [InlineData("sim_pointsource")]
    public void FarringtonFlexible_DefaultOnRowsWhereBothDropTheTrend_MatchesR(string series)
    {
        string file = $"{series}__farringtonFlexible_default_diag.csv";
        DetectionResult result = FarringtonFlexible.Detect(GoldenData.Series(series), FarringtonFlexibleOptions.Default, out FarringtonDiagnostics diagnostics);
        double[] rTrend = GoldenData.Table(file)["trendCoef"];
        int[] times = GoldenData.Table(file)["t"].Select(t => (int)t).ToArray();

        GoldenAssert.ColumnsMatch(
            file,
            new Dictionary<string, Func<int, double>>
            {
                ["expected"] = t => diagnostics.Expected[t - 1],
                ["phi"] = t => diagnostics.Phi[t - 1],
                ["trendCoef"] = t => diagnostics.TrendCoefficient[t - 1],
                ["score"] = t => diagnostics.Score[t - 1],
                ["pvalue"] = t => diagnostics.PValue[t - 1],
                ["mu0"] = t => diagnostics.Mu0[t - 1],
                ["upperbound"] = t => result.UpperBound[t - 1],
                ["alarm"] = t => result.Alarm[t - 1] switch { null => double.NaN, true => 1, false => 0 },
            },
            row => double.IsNaN(rTrend[row]) && double.IsNaN(diagnostics.TrendCoefficient[times[row] - 1]));
    }
}
