namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>Which ESSENCE detector to run.</summary>
internal enum EssenceMethod
{
    /// <summary>Regression when its adjusted R² reaches the switch level, EWMA otherwise (ESSENCE's regression/EWMA switch).</summary>
    Switch,

    /// <summary>Exponentially weighted moving average against the baseline mean and sd.</summary>
    Ewma,

    /// <summary>Least-squares regression on the baseline with a linear trend and day-of-week indicators.</summary>
    Regression,
}
