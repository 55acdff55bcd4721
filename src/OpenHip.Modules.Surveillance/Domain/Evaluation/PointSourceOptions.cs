namespace OpenHip.Modules.Surveillance.Domain.Evaluation;

/// <summary>
/// Parameters of <see cref="PointSourceSimulation"/>, R's names; the defaults are those of the reference series
/// <c>sim.pointSource(p=0.98, r=0.5, length=520, A=1, alpha=1, beta=0, phi=0, frequency=1, K=2.5)</c>.
/// </summary>
internal sealed record PointSourceOptions
{
    /// <summary>Probability of staying without an outbreak (a new one starts with 1 − p).</summary>
    public double P { get; init; } = 0.98;

    /// <summary>Probability that an outbreak step is followed by another.</summary>
    public double R { get; init; } = 0.5;

    public int Length { get; init; } = 520;

    /// <summary>Amplitude of the yearly cycle on the log scale.</summary>
    public double A { get; init; } = 1;

    /// <summary>Log baseline level.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>Log-linear trend per step.</summary>
    public double Beta { get; init; }

    /// <summary>Phase of the cycle.</summary>
    public double Phi { get; init; }

    /// <summary>Cycles per 52 steps.</summary>
    public double Frequency { get; init; } = 1;

    /// <summary>Added to the log mean on outbreak steps (e^2.5 ≈ 12 times the endemic mean).</summary>
    public double K { get; init; } = 2.5;

    public void Validate()
    {
        if (P is < 0 or > 1 || R is < 0 or > 1 || double.IsNaN(P) || double.IsNaN(R))
        {
            throw new ArgumentException($"p and r must be probabilities (got p={P}, r={R})");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Length, 1);
    }
}
