using System.Diagnostics;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Benchmarks.Surveillance;

/// <summary>
/// The daily re-evaluation of a country (issue #10: 3,000 counties × 40 diseases in under a minute on 2 cores): every
/// county × disease series gets its newest point judged by the default daily rule (EARS C3, CDC form, minSigma 0.5, on
/// 28 days), and its newest week by Farrington flexible with the package defaults and with Noufaily's settings (6 years
/// of weeks). All cores, one series per work item. Series are generated per item from a seed (a mix of rare and common
/// diseases), so memory stays flat; generation is timed apart from detection and reported.
/// </summary>
internal static class CountryScaleRun
{
    private const int Weeks = 6 * 52;
    private const int Days = 29;

    public static void Run(int counties, int diseases)
    {
        int series = counties * diseases;
        Console.WriteLine($"{counties} counties x {diseases} diseases = {series:N0} series, {Environment.ProcessorCount} cores");
        var ears = new EarsOptions { Method = EarsMethod.C3, C3Mode = C3Mode.Cdc, MinSigma = 0.5, Baseline = 7, Range = new MonitoredRange(Days, Days) };
        var range = new MonitoredRange(Weeks, Weeks);
        Measure("EARS C3 (cdc, minSigma 0.5), newest day", series, i => EarsC.Detect(Daily(i), ears).AlarmCount);
        Measure("Farrington flexible (defaults), newest week", series, i => FarringtonFlexible.Detect(Weekly(i), FarringtonFlexibleOptions.Default with { Range = range }).AlarmCount);
        Measure("Farrington flexible (Noufaily), newest week", series, i => FarringtonFlexible.Detect(Weekly(i), FarringtonFlexibleOptions.Noufaily with { Range = range }).AlarmCount);
        Measure("Generation only (weekly series; no detector)", series, i => Weekly(i).Length * 0);
    }

    private static void Measure(string name, int series, Func<int, int> evaluate)
    {
        var wall = Stopwatch.StartNew();
        int alarms = 0;
        Parallel.For(0, series, () => 0, (i, _, local) => local + evaluate(i), local => Interlocked.Add(ref alarms, local));
        wall.Stop();
        Console.WriteLine($"{name,-48} {wall.Elapsed.TotalSeconds,7:F1} s wall  {series / wall.Elapsed.TotalSeconds,10:N0} series/s  {alarms,6:N0} alarms");
    }

    /// <summary>Disease d of county c: weekly mean between 0.2 (rare) and 12 (common), with a yearly cycle.</summary>
    private static CountSeries Weekly(int index)
    {
        var random = new Random(index);
        double level = 0.2 + (index % 40 * 0.3);
        var counts = new double[Weeks];
        for (int t = 0; t < Weeks; t++)
        {
            counts[t] = BenchmarkSeries.Poisson(random, level * (1 + (0.5 * Math.Sin(2 * Math.PI * t / 52))));
        }

        return new CountSeries(counts);
    }

    private static CountSeries Daily(int index)
    {
        var random = new Random(index);
        double level = (0.2 + (index % 40 * 0.3)) / 7;
        var counts = new double[Days];
        for (int t = 0; t < Days; t++)
        {
            counts[t] = BenchmarkSeries.Poisson(random, level);
        }

        return new CountSeries(counts, 365);
    }
}
