namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>Which definition of EARS C3 to apply; they give different alarms (docs/surveillance.md).</summary>
internal enum C3Mode
{
    /// <summary>
    /// As R's <c>surveillance::earsC</c>: alarm when the two lagged terms max(0, C2 − 1) add up to more than
    /// z = qnorm(1 − alpha); the current step's C2 does not enter.
    /// </summary>
    R,

    /// <summary>The textbook CDC rule: Σ max(0, C2_s − 1) over the current and two previous steps &gt; threshold (2).</summary>
    Cdc,
}
