using System.Globalization;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Evaluation;

namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>
/// Weekly point-source series: the reference series R simulated (../shared/data/surveillance/sim_pointsource_input.csv,
/// its <c>state</c> column = true outbreak week) and more of the same model (<see cref="PointSourceSimulation"/>),
/// seeded. Scored on weeks 264..520, the range of R's Farrington reference output.
/// </summary>
internal static class SimulatedSeries
{
    public static readonly MonitoredRange Range = new(264, 520);

    public static LabelledSeries Reference(string folder)
    {
        string[] lines = File.ReadAllLines(Path.Combine(folder, "sim_pointsource_input.csv"));
        string[] header = lines[0].Split(',');
        int observed = Array.IndexOf(header, "observed"), state = Array.IndexOf(header, "state");
        string[][] rows = [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))];
        return new LabelledSeries(
            "sim_pointsource (R)",
            new CountSeries([.. rows.Select(r => double.Parse(r[observed], CultureInfo.InvariantCulture))], 52),
            [.. rows.Select(r => r[state] == "1")],
            Range,
            7);
    }

    /// <summary>R's own Noufaily alarms on the reference series (the golden output), scored like ours.</summary>
    public static BacktestScore RNoufaily(string folder, LabelledSeries reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string[] lines = File.ReadAllLines(Path.Combine(folder, "sim_pointsource__farringtonFlexible_noufaily.csv"));
        int alarm = Array.IndexOf(lines[0].Split(','), "alarm");
        bool?[] alarms = [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[alarm] switch { "NA" => (bool?)null, "1" => true, _ => false })];
        return BacktestScoring.Score(alarms, reference.Outbreak, 52).Score;
    }

    public static List<LabelledSeries> Generated(int count) =>
    [
        .. Enumerable.Range(1, count).Select(seed =>
        {
            (double[] observed, bool[] outbreak) = PointSourceSimulation.Simulate(new PointSourceOptions(), seed);
            return new LabelledSeries(string.Create(CultureInfo.InvariantCulture, $"sim seed {seed}"), new CountSeries(observed, 52), outbreak, Range, 7);
        }),
    ];
}
