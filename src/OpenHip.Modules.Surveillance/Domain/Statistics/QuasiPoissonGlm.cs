namespace OpenHip.Modules.Surveillance.Domain.Statistics;

/// <summary>
/// Quasi-Poisson GLM with log link fitted by iteratively reweighted least squares, started and stopped as R's
/// <c>glm.fit</c> (μ₀ = y + 0.1; stop when the relative deviance change is below 1e-8): R's estimates are those of that stopping point, a few units in the fifth digit from the optimum, and the reference outputs carry them. Written by hand because
/// MathNet.Numerics has no GLM, and the detectors fit thousands of these small models (n ≤ a few hundred,
/// p ≤ a dozen) per second: normal equations with a Cholesky factor on stack-sized arrays keep that cheap.
/// </summary>
internal static class QuasiPoissonGlm
{
    private const int MaxIterations = 50;

    /// <param name="design">Row-major n×p design matrix.</param>
    /// <param name="y">Responses.</param>
    /// <param name="priorWeights">Prior weights, or null for all ones.</param>
    public static QuasiPoissonFit Fit(double[] design, int p, double[] y, double[]? priorWeights)
    {
        int n = y.Length;
        if (n <= p)
        {
            throw new ArgumentException($"a quasi-Poisson fit with {p} parameters needs more than {p} observations (got {n})");
        }

        var eta = new double[n];
        var mu = new double[n];
        for (int i = 0; i < n; i++)
        {
            mu[i] = y[i] + 0.1;
            eta[i] = Math.Log(mu[i]);
        }

        // Seasonal-block designs are mostly zeros (a row has an intercept, a time and one block indicator), so
        // the rows are kept as their non-zero entries: accumulating XᵀWX then costs O(n·k²) for k non-zeros.
        var sparse = new SparseRows(design, n, p);
        var yLogY = new double[n];
        for (int i = 0; i < n; i++)
        {
            yLogY[i] = y[i] > 0 ? y[i] * Math.Log(y[i]) : 0;
        }

        var xtwx = new double[p * p];
        var xtwz = new double[p];
        var beta = new double[p];
        var workingMu = new double[n];
        double deviance = Deviance(y, yLogY, eta, mu, priorWeights);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            Array.Clear(xtwx);
            Array.Clear(xtwz);
            Array.Copy(mu, workingMu, n);
            for (int i = 0; i < n; i++)
            {
                double w = (priorWeights?[i] ?? 1) * mu[i];
                double z = eta[i] + ((y[i] - mu[i]) / mu[i]);
                sparse.AddOuter(i, w, xtwx, p);
                sparse.AddScaled(i, w * z, xtwz);
            }

            Cholesky.Factor(xtwx, p);
            Array.Copy(xtwz, beta, p);
            Cholesky.Solve(xtwx, p, beta);
            for (int i = 0; i < n; i++)
            {
                double e = sparse.Dot(i, beta);
                eta[i] = e;
                mu[i] = Math.Exp(e);
            }

            double previous = deviance;
            deviance = Deviance(y, yLogY, eta, mu, priorWeights);
            if (Math.Abs(deviance - previous) / (Math.Abs(deviance) + 0.1) < 1e-8)
            {
                break;
            }
        }

        return Summarise(sparse, p, y, priorWeights, beta, mu, workingMu);
    }

    /// <summary>
    /// Leverages, covariance and dispersion as R derives them: from the working weights of the last iteration
    /// (computed from the means before its update, <paramref name="workingMu"/>) with the residuals of the final
    /// means. At R's stopping rule the two means still differ in the fifth digit, so this matters for agreement.
    /// </summary>
    private static QuasiPoissonFit Summarise(SparseRows sparse, int p, double[] y, double[]? priorWeights, double[] beta, double[] mu, double[] workingMu)
    {
        int n = y.Length;
        var xtwx = new double[p * p];
        for (int i = 0; i < n; i++)
        {
            sparse.AddOuter(i, (priorWeights?[i] ?? 1) * workingMu[i], xtwx, p);
        }

        Cholesky.Factor(xtwx, p);
        double[] inverse = Cholesky.Inverse(xtwx, p);
        var hat = new double[n];
        double pearson = 0;
        double priorWeighted = 0;
        for (int i = 0; i < n; i++)
        {
            double prior = priorWeights?[i] ?? 1;
            double working = prior * workingMu[i];
            double r = (y[i] - mu[i]) / mu[i];
            pearson += working * r * r;
            priorWeighted += prior * r * r;
            hat[i] = working * sparse.Quadratic(i, inverse, p);
        }

        int df = n - p;
        return new QuasiPoissonFit(beta, mu, hat, inverse, pearson / df, priorWeighted / df, df);
    }

    /// <summary>Poisson deviance; y·log(y/μ) is taken as y·log y − y·η so the loop needs no logarithm.</summary>
    private static double Deviance(double[] y, double[] yLogY, double[] eta, double[] mu, double[]? priorWeights)
    {
        double deviance = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double term = y[i] > 0 ? (yLogY[i] - (y[i] * eta[i])) - (y[i] - mu[i]) : mu[i];
            deviance += 2 * (priorWeights?[i] ?? 1) * term;
        }

        return deviance;
    }
}
