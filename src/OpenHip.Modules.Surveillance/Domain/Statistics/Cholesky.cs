namespace OpenHip.Modules.Surveillance.Domain.Statistics;

/// <summary>
/// In-place Cholesky factor of a small symmetric positive-definite matrix (lower triangle, row-major), with solve
/// and inverse. Hand-written for the GLM's hot loop, where MathNet's matrix objects would allocate per iteration.
/// </summary>
internal static class Cholesky
{
    public static void Factor(double[] a, int p)
    {
        for (int j = 0; j < p; j++)
        {
            double d = a[(j * p) + j];
            for (int k = 0; k < j; k++)
            {
                d -= a[(j * p) + k] * a[(j * p) + k];
            }

            if (!(d > 1e-300))
            {
                throw new ArgumentException("the model matrix is singular: a covariate is constant or two are collinear over the reference data");
            }

            d = Math.Sqrt(d);
            a[(j * p) + j] = d;
            for (int i = j + 1; i < p; i++)
            {
                double s = a[(i * p) + j];
                for (int k = 0; k < j; k++)
                {
                    s -= a[(i * p) + k] * a[(j * p) + k];
                }

                a[(i * p) + j] = s / d;
            }
        }
    }

    public static void Solve(double[] l, int p, double[] b)
    {
        for (int i = 0; i < p; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= l[(i * p) + k] * b[k];
            }

            b[i] = s / l[(i * p) + i];
        }

        for (int i = p - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < p; k++)
            {
                s -= l[(k * p) + i] * b[k];
            }

            b[i] = s / l[(i * p) + i];
        }
    }

    public static double[] Inverse(double[] l, int p)
    {
        var inverse = new double[p * p];
        var column = new double[p];
        for (int j = 0; j < p; j++)
        {
            Array.Clear(column);
            column[j] = 1;
            Solve(l, p, column);
            for (int i = 0; i < p; i++)
            {
                inverse[(i * p) + j] = column[i];
            }
        }

        return inverse;
    }
}
