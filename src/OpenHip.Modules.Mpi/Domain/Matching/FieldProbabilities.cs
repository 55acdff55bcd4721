using static OpenHip.Modules.Mpi.Domain.Matching.FieldLevels;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// m (P(level | match)) and u (P(level | non-match)) for each field and level, and the share of matches λ among
/// the pairs they were estimated on. Level 0 (missing) has neither: it carries no evidence.
/// </summary>
internal sealed class FieldProbabilities
{
    public FieldProbabilities()
    {
        M = new double[FieldCount, MaxLevels];
        U = new double[FieldCount, MaxLevels];
        Active = new bool[FieldCount];
    }

    public double[,] M { get; }

    public double[,] U { get; }

    /// <summary>Fields that were observed (not missing) on at least one pair; the rest are left out of scoring.</summary>
    public bool[] Active { get; }

    public double Lambda { get; set; }

    /// <summary>Iterations the estimation took (0 when set by hand).</summary>
    public int Iterations { get; set; }

    public FieldProbabilities Clone()
    {
        var copy = new FieldProbabilities { Lambda = Lambda, Iterations = Iterations };
        Array.Copy(M, copy.M, M.Length);
        Array.Copy(U, copy.U, U.Length);
        Array.Copy(Active, copy.Active, Active.Length);
        return copy;
    }
}
