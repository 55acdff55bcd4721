using OpenHip.Modules.Surveillance.Domain;

namespace OpenHip.Modules.Surveillance.Features.OfflineDetection;

/// <summary>
/// <c>openhip surveillance detect</c>: read a series file, run one detector, write the result file. Bad input or
/// parameters throw <see cref="ArgumentException"/> with a message meant for the user.
/// </summary>
internal sealed class OfflineDetection(DetectorCatalog catalog)
{
    public DetectionResult Run(string algorithm, IEnumerable<string> parameterPairs, TextReader input, TextWriter output)
    {
        var parameters = new DetectorParameters(parameterPairs);
        CountSeries series = SeriesCsv.Read(input, DetectorCatalog.Frequency(parameters));
        DetectionResult result = catalog.Run(algorithm, parameters, series);
        SeriesCsv.Write(output, series, result);
        return result;
    }
}
