using static OpenHip.Modules.Mpi.Domain.Matching.FieldLevels;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// m and u to start from before a population can teach them: a young index has too few records for u and too
/// few duplicates for EM to find m. The figures are round, conservative guesses of the order of magnitude, not
/// measurements: u of exact agreement from how many values a field has (about 20,000 birth dates in a
/// population, a few hundred common surnames, unique ID numbers), m from "matches mostly agree, a few have a typo".
/// </summary>
internal static class PriorProbabilities
{
    public static FieldProbabilities Create()
    {
        var p = new FieldProbabilities { Lambda = 0.1 };
        Set(p, ComparedField.NationalId, m: [0.95, 0.02, 0.02, 0.01], u: [1e-7, 1e-6, 0.5, 0.5]);
        Set(p, ComparedField.OtherId, m: [0.9, 0.05, 0.05], u: [1e-6, 1e-5, 1]);
        Set(p, ComparedField.Family, m: [0.9, 0.03, 0.03, 0.01, 0.01, 0.01, 0.01], u: [0.02, 0.005, 0.005, 0.01, 0.02, 0.001, 0.939]);
        Set(p, ComparedField.Given, m: [0.9, 0.03, 0.03, 0.01, 0.01, 0.01, 0.01], u: [0.003, 0.003, 0.002, 0.005, 0.01, 0.0005, 0.9765]);
        Set(p, ComparedField.BirthDate, m: [0.93, 0.02, 0.02, 0.005, 0.015, 0.01], u: [5e-5, 1e-4, 3e-4, 1e-5, 0.013, 0.98654]);
        Set(p, ComparedField.Sex, m: [0.98, 0.02], u: [0.5, 0.5]);
        Set(p, ComparedField.Phone, m: [0.7, 0.05, 0.25], u: [1e-6, 1e-5, 1]);
        Set(p, ComparedField.HouseNumber, m: [0.85, 0.05, 0.1], u: [0.02, 0.05, 0.93]);
        Set(p, ComparedField.AddressLine, m: [0.8, 0.08, 0.05, 0.03, 0.04], u: [0.01, 0.01, 0.05, 0.001, 0.929]);
        Set(p, ComparedField.AddressLine2, m: [0.8, 0.08, 0.05, 0.03, 0.04], u: [0.01, 0.01, 0.05, 0.001, 0.929]);
        Set(p, ComparedField.Locality, m: [0.85, 0.05, 0.03, 0.001, 0.07], u: [0.05, 0.01, 0.05, 0.001, 0.889]);
        Set(p, ComparedField.PostalCode, m: [0.85, 0.07, 0.08], u: [0.01, 0.05, 0.94]);
        Set(p, ComparedField.Region, m: [0.95, 0.05], u: [0.3, 0.7]);
        Set(p, ComparedField.DivisionCode, m: [0.8, 0.12, 0.05, 0.03], u: [0.05, 0.2, 0.5, 0.25]);
        return p;
    }

    /// <summary>Fitted u with the prior m: for a population large enough for u but without duplicates to learn m from.</summary>
    public static FieldProbabilities WithPriorM(FieldProbabilities fitted)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        FieldProbabilities prior = Create();
        FieldProbabilities mixed = fitted.Clone();
        Array.Copy(prior.M, mixed.M, prior.M.Length);
        mixed.Lambda = prior.Lambda;
        return mixed;
    }

    private static void Set(FieldProbabilities p, ComparedField field, double[] m, double[] u)
    {
        int f = (int)field;
        p.Active[f] = true;
        double mSum = m.Sum();
        double uSum = u.Sum();
        for (int level = 1; level < Count(field); level++)
        {
            p.M[f, level] = m[level - 1] / mSum;
            p.U[f, level] = u[level - 1] / uSum;
        }
    }
}
