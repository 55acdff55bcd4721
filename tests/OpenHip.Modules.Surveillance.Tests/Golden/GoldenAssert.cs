using System.Globalization;
using System.Text;
using OpenHip.Modules.Surveillance.Domain;

namespace OpenHip.Modules.Surveillance.Tests.Golden;

/// <summary>Compares with the reference: |Δ| ≤ 1e-6·max(1,|x|), NA matched as NA, alarms exactly.</summary>
internal static class GoldenAssert
{
    public static void Matches(string file, DetectionResult actual) => Matches(file, actual, boundsChecked: _ => true);

    /// <summary>As <see cref="Matches(string, DetectionResult)"/>, comparing bounds only at the steps <paramref name="boundsChecked"/> accepts (1-based t).</summary>
    public static void Matches(string file, DetectionResult actual, Func<int, bool> boundsChecked)
    {
        Dictionary<string, double[]> expected = GoldenData.Table(file);
        Assert.Equal(expected["t"].Length, actual.Length);
        var problems = new StringBuilder();
        for (int i = 0; i < actual.Length; i++)
        {
            if (boundsChecked(i + 1))
            {
                Compare(problems, $"t={i + 1} upperbound", expected["upperbound"][i], actual.UpperBound[i]);
            }

            double expectedAlarm = expected["alarm"][i];
            double actualAlarm = actual.Alarm[i] switch { null => double.NaN, true => 1, false => 0 };
            if (!(double.IsNaN(expectedAlarm) && double.IsNaN(actualAlarm)) && expectedAlarm != actualAlarm)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"t={i + 1} alarm: expected {expectedAlarm}, got {actualAlarm}");
            }
        }

        Assert.True(problems.Length == 0, $"{file}:\n{Truncate(problems)}");
    }

    /// <summary>
    /// Compares columns of a diagnostics file (plus the bound and alarm of its output file), row by row on its
    /// <c>t</c> column, optionally only on the rows <paramref name="rowFilter"/> accepts (by row number).
    /// </summary>
    public static void ColumnsMatch(string file, IReadOnlyDictionary<string, Func<int, double>> columns, Func<int, bool>? rowFilter = null)
    {
        Dictionary<string, double[]> expected = GoldenData.Table(file);
        string outputs = file.Replace("_diag.csv", ".csv", StringComparison.Ordinal);
        Dictionary<string, double[]> bounds = GoldenData.Table(outputs);
        expected["upperbound"] = expected["t"].Select(t => bounds["upperbound"][(int)t - 1]).ToArray();
        expected["alarm"] = expected["t"].Select(t => bounds["alarm"][(int)t - 1]).ToArray();
        expected["sameTrend"] = expected["trendCoef"].Select(c => double.IsNaN(c) ? 0.0 : 1.0).ToArray();
        var problems = new StringBuilder();
        foreach ((string column, Func<int, double> actualAt) in columns)
        {
            var columnProblems = new StringBuilder();
            double worst = 0;
            for (int row = 0; row < expected["t"].Length; row++)
            {
                int t = (int)expected["t"][row];
                if (rowFilter is not null && !rowFilter(row))
                {
                    continue;
                }

                double e = expected[column][row];
                double a = actualAt(t);
                Compare(columnProblems, $"t={t} {column}", e, a);
                if (!Close(e, a))
                {
                    worst = Math.Max(worst, double.IsNaN(e - a) ? double.PositiveInfinity : Math.Abs(e - a));
                }
            }

            if (columnProblems.Length > 0)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{column}: max |Δ| {worst:G3}");
                problems.Append(Truncate(columnProblems, 4));
            }
        }

        Assert.True(problems.Length == 0, $"{file}:\n{problems}");
    }

    public static bool Close(double expected, double actual) =>
        (double.IsNaN(expected) && double.IsNaN(actual))
        || expected == actual
        || Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected));

    private static void Compare(StringBuilder problems, string what, double expected, double actual)
    {
        if (!Close(expected, actual))
        {
            problems.AppendLine(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(expected - actual):G3})");
        }
    }

    private static string Truncate(StringBuilder problems, int keep = 15)
    {
        string text = problems.ToString();
        string[] lines = text.TrimEnd().Split('\n');
        return lines.Length <= keep ? text : string.Join('\n', lines.Take(keep)) + $"\n... and {lines.Length - keep} more\n";
    }
}
