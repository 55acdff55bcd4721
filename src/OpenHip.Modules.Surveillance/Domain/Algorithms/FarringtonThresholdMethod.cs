namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>How Farrington flexible turns the fitted mean into an upper bound.</summary>
internal enum FarringtonThresholdMethod
{
    /// <summary>Farrington et al. (1996): a normal bound on the power-transformed scale, widened by the prediction error.</summary>
    Delta,

    /// <summary>Noufaily et al. (2013): the (1 − α) quantile of a negative binomial with the fitted mean and dispersion.</summary>
    NbPlugin,
}
