using System.Globalization;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Evaluation;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;

namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>An algorithm with its controls as <c>$surveillance-series</c> and the alert rules take them.</summary>
internal sealed record Candidate(string Algorithm, params string[] Parameters)
{
    public string Name => Parameters.Length == 0 ? Algorithm : $"{Algorithm} {string.Join(' ', Parameters)}";

    /// <summary>
    /// Runs on the series and scores the alarms on its fixed range; an NA alarm inside the range counts as none, so every
    /// candidate is scored on exactly the same steps. A series the algorithm cannot run on (it throws) is scored as
    /// raising no alarm and reported as failed: dropping it would flatter the algorithm.
    /// </summary>
    public (BacktestScore Score, bool Failed) Score(DetectorCatalog detectors, LabelledSeries labelled)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        ArgumentNullException.ThrowIfNull(labelled);
        CountSeries series = labelled.Series;
        MonitoredRange range = labelled.Range;
        var parameters = new DetectorParameters([
            .. Parameters,
            string.Create(CultureInfo.InvariantCulture, $"frequency={series.Frequency}"),
            string.Create(CultureInfo.InvariantCulture, $"range={range.First}:{range.Last}"),
        ]);
        DetectionResult? result;
        try
        {
            result = detectors.Run(Algorithm, parameters, series);
        }
        catch (ArgumentException)
        {
            result = null;
        }

        bool?[] alarms = new bool?[series.Length];
        for (int step = range.First; step <= range.Last; step++)
        {
            alarms[step - 1] = result?.Alarm[step - 1] == true;
        }

        return (BacktestScoring.Score(alarms, labelled.Outbreak, series.Frequency).Score, result is null);
    }
}
