using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Golden;

/// <summary>
/// Farrington flexible against R, whole files: bounds, alarms and the diagnostics. The default controls exercise
/// the trend test and the delta threshold (both with R's prior-weighted dispersion), the Noufaily preset the
/// seasonal blocks (on salmNewport with calendar dates) and the negative-binomial threshold.
/// </summary>
public sealed class FarringtonFlexibleGoldenTests
{
    /// <summary>Every series with both presets: each has a bounds file and a diagnostics file.</summary>
    public static TheoryData<string, string> Files { get; } = new()
    {
        { "agona", "default" }, { "ha", "default" }, { "salmNewport", "default" }, { "sim_pointsource", "default" },
        { "agona", "noufaily" }, { "ha", "noufaily" }, { "salmNewport", "noufaily" }, { "sim_pointsource", "noufaily" },
    };

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void FarringtonFlexible_Preset_MatchesRBoundsAndAlarms(string series, string preset)
    {
        DetectionResult result = FarringtonFlexible.Detect(GoldenData.Series(series), Options(preset));

        GoldenAssert.Matches($"{series}__farringtonFlexible_{preset}.csv", result);
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void FarringtonFlexible_Preset_MatchesRDiagnostics(string series, string preset)
    {
        FarringtonFlexible.Detect(GoldenData.Series(series), Options(preset), out FarringtonDiagnostics diagnostics);
        var columns = new Dictionary<string, Func<int, double>>
        {
            ["expected"] = t => diagnostics.Expected[t - 1],
            ["phi"] = t => diagnostics.Phi[t - 1],
            ["trendCoef"] = t => diagnostics.TrendCoefficient[t - 1],
            ["pvalue"] = t => diagnostics.PValue[t - 1],
            ["mu0"] = t => diagnostics.Mu0[t - 1],
            ["score"] = t => diagnostics.Score[t - 1],
        };

        GoldenAssert.ColumnsMatch($"{series}__farringtonFlexible_{preset}_diag.csv", columns);
    }

    private static FarringtonFlexibleOptions Options(string preset) =>
        preset == "default" ? FarringtonFlexibleOptions.Default : FarringtonFlexibleOptions.Noufaily;
}
