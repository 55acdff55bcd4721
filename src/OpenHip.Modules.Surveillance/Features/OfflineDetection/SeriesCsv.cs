using System.Globalization;
using System.Text;
using OpenHip.Modules.Surveillance.Domain;

namespace OpenHip.Modules.Surveillance.Features.OfflineDetection;

/// <summary>
/// Reads a series in the golden files' input format (<c>t,epoch,observed</c>, other columns ignored) and writes
/// results in their output format (<c>t,observed,upperbound,alarm</c>, numbers as R's <c>%.17g</c>, NA for missing).
/// </summary>
internal static class SeriesCsv
{
    public static CountSeries Read(TextReader reader, int frequency)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string header = reader.ReadLine() ?? throw new ArgumentException("the series file is empty");
        string[] columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        int epochColumn = Array.IndexOf(columns, "epoch");
        int observedColumn = Array.IndexOf(columns, "observed");
        if (observedColumn < 0)
        {
            throw new ArgumentException("the series file has no 'observed' column (expected t,epoch,observed)");
        }

        var observed = new List<double>();
        var dates = new List<DateOnly>();
        bool allDates = epochColumn >= 0;
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (cells.Length <= observedColumn || !double.TryParse(cells[observedColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out double y))
            {
                throw new ArgumentException($"line {lineNumber}: 'observed' is not a number");
            }

            observed.Add(y);
            if (allDates)
            {
                string epoch = cells.Length > epochColumn ? cells[epochColumn].Trim('"') : "";
                if (DateOnly.TryParseExact(epoch, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
                {
                    dates.Add(date);
                }
                else
                {
                    // A week number (or anything not an ISO date): the series is indexed by position, as R's
                    // epochAsDate = FALSE.
                    allDates = false;
                }
            }
        }

        return new CountSeries([.. observed], frequency, allDates && dates.Count == observed.Count ? [.. dates] : null);
    }

    public static void Write(TextWriter writer, CountSeries series, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(result);
        var line = new StringBuilder();
        writer.WriteLine("t,observed,upperbound,alarm");
        for (int i = 0; i < series.Length; i++)
        {
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{i + 1},{Number(series.Observed[i])},{Number(result.UpperBound[i])},");
            line.Append(result.Alarm[i] switch { null => "NA", true => "1", false => "0" });
            writer.WriteLine(line);
        }
    }

    /// <summary>R's <c>%.17g</c> round-trips a double; "R" formatting gives the shortest text that round-trips.</summary>
    public static string Number(double x) => double.IsNaN(x) ? "NA" : x.ToString("R", CultureInfo.InvariantCulture);
}
