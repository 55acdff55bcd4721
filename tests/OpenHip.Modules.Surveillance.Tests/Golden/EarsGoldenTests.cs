using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Golden;

public sealed class EarsGoldenTests
{
    [SkippableTheory]
    [InlineData("agona")]
    [InlineData("ha")]
    [InlineData("salmNewport")]
    [InlineData("sim_pointsource")]
    public void EarsC_EachMethod_MatchesR(string series)
    {
        foreach (EarsMethod method in Enum.GetValues<EarsMethod>())
        {
            var result = EarsC.Detect(GoldenData.Series(series), new EarsOptions { Method = method });

            GoldenAssert.Matches($"{series}__earsC_{method}.csv", result);
        }
    }

    [SkippableFact]
    public void EarsC3_CdcModeOnAgona_GivesTheTextbookAlarmCount()
    {
        var cdc = EarsC.Detect(GoldenData.Series("agona"), new EarsOptions { Method = EarsMethod.C3, C3Mode = C3Mode.Cdc });
        var r = EarsC.Detect(GoldenData.Series("agona"), new EarsOptions { Method = EarsMethod.C3 });

        // The shared README's figures: textbook C3 gives 60 alarms on agona, R's version 36.
        Assert.Equal(60, cdc.AlarmCount);
        Assert.Equal(36, r.AlarmCount);
    }
}
