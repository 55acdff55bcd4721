namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>The three EARS variants (Hutwagner et al. 2003).</summary>
internal enum EarsMethod
{
    /// <summary>Baseline: the 7 steps just before the current one.</summary>
    C1,

    /// <summary>Baseline: 7 steps ending 3 steps back (a 2-step guard band).</summary>
    C2,

    /// <summary>Combines the C2 statistics of the current and the two previous steps.</summary>
    C3,
}
