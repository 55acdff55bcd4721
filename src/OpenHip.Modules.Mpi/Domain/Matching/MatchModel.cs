using static OpenHip.Modules.Mpi.Domain.Matching.FieldLevels;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// The scoring side of a fitted model: log2 Bayes factors per field and level (log2 m/u), the prior log-odds
/// from λ, and the per-record term-frequency adjustments of exact name agreement. Immutable once built.
/// </summary>
internal sealed class MatchModel
{
    private readonly float[] _weights;

    public MatchModel(FieldProbabilities probabilities, float[] familyTf, float[] givenTf)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        Probabilities = probabilities;
        FamilyTf = familyTf;
        GivenTf = givenTf;
        _weights = new float[FieldCount * MaxLevels];
        for (int f = 0; f < FieldCount; f++)
        {
            for (int level = 1; level < Count((ComparedField)f); level++)
            {
                _weights[(f * MaxLevels) + level] = probabilities.Active[f]
                    ? (float)Math.Log2(probabilities.M[f, level] / probabilities.U[f, level])
                    : 0f;
            }
        }

        PriorLogOdds = (float)Math.Log2(probabilities.Lambda / (1 - probabilities.Lambda));
    }

    public FieldProbabilities Probabilities { get; }

    public float PriorLogOdds { get; }

    public float[] FamilyTf { get; }

    public float[] GivenTf { get; }

    /// <summary>log2 m/u of one field level (0 for missing).</summary>
    public float Weight(int field, int level) => _weights[(field * MaxLevels) + level];

    /// <summary>
    /// Match log-odds (base 2) of the pair (i, j) with comparison vector <paramref name="levels"/>. The
    /// term-frequency adjustment applies to exact name agreement only, using i's value (equal to j's then).
    /// </summary>
    public float LogOdds(int i, ReadOnlySpan<byte> levels)
    {
        float sum = PriorLogOdds;
        for (int f = 0; f < FieldCount; f++)
        {
            sum += _weights[(f * MaxLevels) + levels[f]];
        }

        if (levels[(int)ComparedField.Family] == NameExact)
        {
            sum += FamilyTf[i];
        }

        if (levels[(int)ComparedField.Given] == NameExact)
        {
            sum += GivenTf[i];
        }

        return sum;
    }

    public static double Probability(float logOdds) => 1 / (1 + Math.Pow(2, -logOdds));
}
