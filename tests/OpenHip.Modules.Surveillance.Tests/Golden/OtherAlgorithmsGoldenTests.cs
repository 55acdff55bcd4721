using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Golden;

public sealed class OtherAlgorithmsGoldenTests
{
    /// <summary>
    /// Steps 282–284, 296–299 and 301 have a dispersion below 1, where the prediction error must be scaled by
    /// the clamped φ = 1 to match R (they differed by up to 0.003 with the unclamped dispersion).
    /// </summary>
    [SkippableFact]
    public void Farrington_ClassicOnAgona_MatchesR()
    {
        DetectionResult result = Farrington.Detect(GoldenData.Series("agona"), FarringtonOptions.Reference);

        GoldenAssert.Matches("agona__farrington_classic.csv", result);
    }

    [SkippableFact]
    public void Bayes_OnAgona_MatchesR()
    {
        DetectionResult result = Bayes.Detect(GoldenData.Series("agona"), BayesOptions.Reference);

        GoldenAssert.Matches("agona__bayes.csv", result);
    }

    [SkippableFact]
    public void Cusum_OnAgona_MatchesR()
    {
        DetectionResult result = Cusum.Detect(GoldenData.Series("agona"), CusumOptions.Reference);

        GoldenAssert.Matches("agona__cusum.csv", result);
    }

    [SkippableFact]
    public void GlrPoisson_OnAgona_MatchesR()
    {
        DetectionResult result = GlrPoisson.Detect(GoldenData.Series("agona"), GlrPoissonOptions.Reference);

        GoldenAssert.Matches("agona__glrnb_pois.csv", result);
    }

    /// <summary>Every baseline mean on agona is below 20, so this checks the Crow–Gardner table for counts 1..4.</summary>
    [SkippableFact]
    public void Rki_OnAgona_MatchesR()
    {
        DetectionResult result = Rki.Detect(GoldenData.Series("agona"), RkiOptions.Reference);

        GoldenAssert.Matches("agona__rki.csv", result);
    }
}
