using System.Globalization;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;
using OpenHip.Testing;

namespace OpenHip.Modules.Surveillance.Tests.Golden;

/// <summary>Reads the reference outputs of R's surveillance package from ../shared/data/surveillance.</summary>
internal static class GoldenData
{
    public static string Folder => SharedDataFolder.Require("surveillance");

    public static string InputPath(string series) => Path.Combine(Folder, $"{series}_input.csv");

    public static CountSeries Series(string series)
    {
        using var reader = new StreamReader(InputPath(series));
        return SeriesCsv.Read(reader, 52);
    }

    /// <summary>Columns of a CSV by header name; "NA" becomes NaN.</summary>
    public static Dictionary<string, double[]> Table(string file)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Folder, file)).Where(l => l.Length > 0).ToArray();
        string[] header = lines[0].Split(',');
        var columns = header.ToDictionary(h => h, _ => new double[lines.Length - 1]);
        for (int row = 1; row < lines.Length; row++)
        {
            string[] cells = lines[row].Split(',');
            for (int c = 0; c < header.Length; c++)
            {
                columns[header[c]][row - 1] = cells[c] == "NA" ? double.NaN : double.Parse(cells[c], CultureInfo.InvariantCulture);
            }
        }

        return columns;
    }
}
