using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class EmEstimatorTests
{
    // A known two-component mixture over three fields with two levels each (1 agree, 2 disagree).
    private static readonly (ComparedField Field, double M, double U)[] Truth =
    [
        (ComparedField.Sex, 0.98, 0.50),
        (ComparedField.Phone, 0.90, 0.02),
        (ComparedField.PostalCode, 0.85, 0.10),
    ];

    private const double Lambda = 0.2;

    [Fact]
    public void Fit_KnownMixture_RecoversMUAndLambda()
    {
        var random = new Random(7);
        PatternCounts candidates = Sample(random, 100_000, Lambda);
        PatternCounts randomPairs = Sample(random, 50_000, 0);

        FieldProbabilities p = EmEstimator.Fit(candidates, randomPairs);

        Assert.InRange(p.Lambda, Lambda - 0.01, Lambda + 0.01);
        foreach ((ComparedField field, double m, double u) in Truth)
        {
            Assert.InRange(p.M[(int)field, 1], m - 0.02, m + 0.02);
            Assert.InRange(p.U[(int)field, 1], u - 0.02, u + 0.02);
        }

        Assert.False(p.Active[(int)ComparedField.Family]); // never observed: left out of scoring

        // Phone level 3 (different) never occurs in the sample: smoothing must not turn that into evidence.
        Assert.InRange(Math.Log2(p.M[(int)ComparedField.Phone, 3] / p.U[(int)ComparedField.Phone, 3]), -0.5, 0.5);
        Assert.InRange(p.Iterations, 2, 199); // converged before the cap
    }

    [Fact]
    public void Fit_OnABoundedSampleOfManyPairs_RecoversMUAndLambda()
    {
        var random = new Random(11);
        ulong[] vectors = Vectors(random, 400_000, Lambda);

        PatternCounts sample = PatternCounts.Sample(vectors, 40_000, seed: 1);
        FieldProbabilities p = EmEstimator.Fit(sample, Sample(random, 50_000, 0));

        Assert.Equal(40_000, sample.Total);
        Assert.InRange(p.Lambda, Lambda - 0.015, Lambda + 0.015);
        foreach ((ComparedField field, double m, double u) in Truth)
        {
            Assert.InRange(p.M[(int)field, 1], m - 0.03, m + 0.03);
            Assert.InRange(p.U[(int)field, 1], u - 0.03, u + 0.03);
        }
    }

    [Fact]
    public void Sample_FewerVectorsThanTheBound_TakesThemAll()
    {
        ulong[] vectors = Vectors(new Random(2), 1000, Lambda);

        PatternCounts sample = PatternCounts.Sample(vectors, 5000, seed: 1);

        Assert.Equal(PatternCounts.From(vectors).Counts, sample.Counts);
    }

    [Fact]
    public void Fit_ManyStrangersSharingOneAddress_TheMatchesStayTheMatchClass()
    {
        // Regression for 980,000 synthetic records: 2 % true matches among candidates that are 40 % strangers sharing a
        // street number, whose five place fields agree together. Counted as five independent witnesses, the shared
        // address became the "match" class (λ 0.40).
        var random = new Random(5);
        var candidates = new PatternCounts();
        var randomPairs = new PatternCounts();
        for (int n = 0; n < 200_000; n++)
        {
            double roll = random.NextDouble();
            candidates.Add(AddressPair(random, identity: roll < 0.02 ? 0.95 : 0.02, sameAddress: roll < 0.02 ? 0.9 : roll < 0.42 ? 1 : 0.01));
        }

        for (int n = 0; n < 50_000; n++)
        {
            randomPairs.Add(AddressPair(random, identity: 0.01, sameAddress: 0.001));
        }

        FieldProbabilities p = EmEstimator.Fit(candidates, randomPairs, classifyBy: EmEstimator.ClassifyingFields);

        Assert.InRange(p.Lambda, 0.015, 0.03);
        Assert.True(p.M[(int)ComparedField.Family, 1] > 0.9, $"m(family agrees) {p.M[(int)ComparedField.Family, 1]}");
    }

    [Fact]
    public void MatchPosterior_AgreementOnEverythingIsLikelyAMatch()
    {
        FieldProbabilities p = EmEstimator.Fit(Sample(new Random(3), 50_000, Lambda), Sample(new Random(4), 20_000, 0));
        Span<byte> agree = stackalloc byte[FieldLevels.FieldCount];
        Span<byte> disagree = stackalloc byte[FieldLevels.FieldCount];
        foreach ((ComparedField field, _, _) in Truth)
        {
            agree[(int)field] = 1;
            disagree[(int)field] = 2;
        }

        Assert.True(EmEstimator.MatchPosterior(p, PairComparer.Pack(agree)) > 0.95);
        Assert.True(EmEstimator.MatchPosterior(p, PairComparer.Pack(disagree)) < 0.01);
    }

    private static ulong[] Vectors(Random random, int pairs, double lambda)
    {
        var vectors = new ulong[pairs];
        Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
        for (int n = 0; n < pairs; n++)
        {
            bool match = random.NextDouble() < lambda;
            foreach ((ComparedField field, double m, double u) in Truth)
            {
                levels[(int)field] = random.NextDouble() < (match ? m : u) ? (byte)1 : (byte)2;
            }

            vectors[n] = PairComparer.Pack(levels);
        }

        return vectors;
    }

    /// <summary>Identity fields agree independently, each with probability <paramref name="identity"/>; the five place fields agree all together or not at all.</summary>
    private static ulong AddressPair(Random random, double identity, double sameAddress)
    {
        Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
        foreach (ComparedField field in new[] { ComparedField.NationalId, ComparedField.Family, ComparedField.Given, ComparedField.BirthDate, ComparedField.Phone })
        {
            levels[(int)field] = random.NextDouble() < identity ? (byte)1 : (byte)2;
        }

        byte place = random.NextDouble() < sameAddress ? (byte)1 : (byte)2;
        foreach (ComparedField field in new[] { ComparedField.AddressLine, ComparedField.Locality, ComparedField.PostalCode, ComparedField.Region, ComparedField.DivisionCode })
        {
            levels[(int)field] = place;
        }

        return PairComparer.Pack(levels);
    }

    private static PatternCounts Sample(Random random, int pairs, double lambda) => PatternCounts.From(Vectors(random, pairs, lambda));
}
