namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>The variance-stabilising power applied before the normal approximation of the delta threshold.</summary>
internal enum PowerTransform
{
    /// <summary>Farrington's 2/3 power, which removes most of the Poisson skewness.</summary>
    TwoThirds,

    /// <summary>Square root.</summary>
    Half,

    /// <summary>No transform.</summary>
    None,
}
