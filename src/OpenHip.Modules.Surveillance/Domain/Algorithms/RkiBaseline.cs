namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// The baseline shared by the RKI and Bayes detectors: ±w steps around the same step in each of the b previous
/// years and, with <c>actY</c>, the w steps just before the current one.
/// </summary>
internal static class RkiBaseline
{
    public static List<double> Collect(CountSeries series, int t0, int b, int w, bool actualYear)
    {
        var values = new List<double>();
        for (int year = 1; year <= b; year++)
        {
            int centre = t0 - (year * series.Frequency);
            for (int i = centre - w; i <= centre + w; i++)
            {
                values.Add(series.Observed[i]);
            }
        }

        if (actualYear)
        {
            for (int i = t0 - w; i < t0; i++)
            {
                values.Add(series.Observed[i]);
            }
        }

        return values;
    }
}
