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
    /// Match log-odds (base 2) of the pair (i, j) with comparison vector <paramref name="levels"/>: the prior plus
    /// every field's <see cref="FieldWeight"/>.
    /// </summary>
    public float LogOdds(int i, ReadOnlySpan<byte> levels) => LogOdds(levels, FamilyTf[i], GivenTf[i]);

    /// <summary>Log-odds with the term-frequency adjustments given directly (an index that counts names itself).</summary>
    public float LogOdds(ReadOnlySpan<byte> levels, float familyTf, float givenTf)
    {
        float sum = PriorLogOdds;
        for (int f = 0; f < FieldCount; f++)
        {
            sum += FieldWeight(f, levels, familyTf, givenTf);
        }

        return sum;
    }

    /// <summary>
    /// What one field adds: log2 m/u of its level, with the term-frequency adjustment on exact name agreement
    /// (using i's value, equal to j's then). When the division codes put the two in different counties, the
    /// person has moved (or one record is old): street, locality, postcode and region then disagree because of
    /// that one fact, so they are left out rather than counted as several independent disagreements.
    /// </summary>
    public float FieldWeight(int field, int i, ReadOnlySpan<byte> levels) => FieldWeight(field, levels, FamilyTf[i], GivenTf[i]);

    /// <inheritdoc cref="FieldWeight(int, int, ReadOnlySpan{byte})"/>
    public float FieldWeight(int field, ReadOnlySpan<byte> levels, float familyTf, float givenTf)
    {
        int level = levels[field];
        if (level == 0 || (IsPlaceDetail(field) && levels[(int)ComparedField.DivisionCode] >= MovedCounty))
        {
            return 0;
        }

        float weight = _weights[(field * MaxLevels) + level];
        if (level == NameExact && field == (int)ComparedField.Family)
        {
            weight += familyTf;
        }
        else if (level == NameExact && field == (int)ComparedField.Given)
        {
            weight += givenTf;
        }

        return weight;
    }

    /// <summary>Division-code level from which the two live in different counties (see <see cref="PairComparer"/>).</summary>
    private const int MovedCounty = 2;

    private static bool IsPlaceDetail(int field) => (ComparedField)field is ComparedField.HouseNumber or ComparedField.AddressLine
        or ComparedField.AddressLine2 or ComparedField.Locality or ComparedField.PostalCode or ComparedField.Region;

    public static double Probability(float logOdds) => 1 / (1 + Math.Pow(2, -logOdds));
}
