using System.Globalization;
using System.Text;
using OpenHip.Modules.Surveillance.Domain;

namespace OpenHip.Modules.Surveillance.Tests.Golden;

/// <summary>Compares with the reference: |Δ| ≤ 1e-6·max(1,|x|), NA matched as NA, alarms exactly.</summary>
internal static class GoldenAssert
{
    public static void Matches(string file, DetectionResult actual)
    {
        Dictionary<string, double[]> expected = GoldenData.Table(file);
        Assert.Equal(expected["t"].Length, actual.Length);
        var problems = new StringBuilder();
        for (int i = 0; i < actual.Length; i++)
        {
            Compare(problems, $"t={i + 1} upperbound", expected["upperbound"][i], actual.UpperBound[i]);
            double expectedAlarm = expected["alarm"][i];
            double actualAlarm = actual.Alarm[i] switch { null => double.NaN, true => 1, false => 0 };
            if (!(double.IsNaN(expectedAlarm) && double.IsNaN(actualAlarm)) && expectedAlarm != actualAlarm)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"t={i + 1} alarm: expected {expectedAlarm}, got {actualAlarm}");
            }
        }

        Assert.True(problems.Length == 0, $"{file}:\n{Truncate(problems)}");
    }

    /// <summary>Compares one column of a diagnostics file, row by row on its <c>t</c> column.</summary>
    public static void ColumnMatches(string file, string column, Func<int, double> actualAt)
    {
        Dictionary<string, double[]> expected = GoldenData.Table(file);
        var problems = new StringBuilder();
        for (int row = 0; row < expected["t"].Length; row++)
        {
            int t = (int)expected["t"][row];
            Compare(problems, $"t={t} {column}", expected[column][row], actualAt(t));
        }

        Assert.True(problems.Length == 0, $"{file} {column}:\n{Truncate(problems)}");
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

    private static string Truncate(StringBuilder problems)
    {
        string text = problems.ToString();
        string[] lines = text.Split('\n');
        return lines.Length <= 15 ? text : string.Join('\n', lines.Take(15)) + $"\n... and {lines.Length - 15} more";
    }
}
