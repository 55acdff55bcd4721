using System.Globalization;
using OpenHip.Commands;
using OpenHip.Testing;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// `openhip surveillance detect` end to end on the golden inputs in ../shared/data/surveillance, without --param,
/// compared with R's outputs: |Δ| ≤ 1e-6·max(1,|x|), NA as NA, alarms exactly.
/// </summary>
public sealed class SurveillanceDetectCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));

    public SurveillanceDetectCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    public static TheoryData<string, string, string> FullyMatching()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (string series in new[] { "agona", "ha", "salmNewport", "sim_pointsource" })
        {
            cases.Add(series, "earsC1", "earsC_C1");
            cases.Add(series, "earsC2", "earsC_C2");
            cases.Add(series, "earsC3", "earsC_C3");
            cases.Add(series, series == "salmNewport" ? "farringtonFlexible --param preset=default" : "farringtonFlexible", "farringtonFlexible_default");
            cases.Add(series, "farringtonFlexible --param preset=noufaily", "farringtonFlexible_noufaily");
        }

        cases.Add("agona", "farrington", "farrington_classic");
        cases.Add("agona", "rki", "rki");
        cases.Add("agona", "bayes", "bayes");
        cases.Add("agona", "cusum", "cusum");
        cases.Add("agona", "glrnb", "glrnb_pois");
        return cases;
    }

    [SkippableTheory]
    [MemberData(nameof(FullyMatching))]
    public async Task Detect_GoldenInput_WritesROutput(string series, string arguments, string reference)
    {
        string output = await RunAsync(series, arguments);

        Golden.AssertSame(Read(output), Read(Path.Combine(Folder, $"{series}__{reference}.csv")));
    }

    [SkippableFact]
    public async Task Detect_CdcMode_GivesTheTextbookC3()
    {
        string output = await RunAsync("agona", "earsC3 --param mode=cdc");

        // The shared README: textbook C3 gives 60 alarms on agona, R's version 36.
        Assert.Equal(60, Read(output).Count(r => r[3] == "1"));
    }

    [Theory]
    [InlineData("earsC4")]
    [InlineData("earsC1 --param alhpa=0.01")]
    [InlineData("farringtonFlexible --param preset=fast")]
    [InlineData("cusum --param k")]
    public async Task Detect_UnknownAlgorithmOrParameter_ExitsWithTwo(string arguments)
    {
        string input = Path.Combine(_root, "in.csv");
        await File.WriteAllTextAsync(input, "t,epoch,observed\n" + string.Join('\n', Enumerable.Range(1, 30).Select(t => $"{t},{t},{t % 4}")));
        string output = Path.Combine(_root, "out.csv");

        int exit = await OpenHipCli.Build().Parse(["surveillance", "detect", "--algorithm", .. arguments.Split(' '), "--input", input, "--output", output]).InvokeAsync();

        Assert.Equal(SurveillanceCommand.UsageError, exit);
        Assert.False(File.Exists(output));
    }

    private static string Folder => SharedDataFolder.Require("surveillance");

    private async Task<string> RunAsync(string series, string arguments)
    {
        string output = Path.Combine(_root, $"{series}-{arguments.GetHashCode(StringComparison.Ordinal):x}.csv");
        string[] args = ["surveillance", "detect", "--algorithm", .. arguments.Split(' '), "--input", Path.Combine(Folder, $"{series}_input.csv"), "--output", output];
        Assert.Equal(0, await OpenHipCli.Build().Parse(args).InvokeAsync());
        return output;
    }

    private static List<string[]> Read(string path) => File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();

    private static class Golden
    {
        public static void AssertSame(List<string[]> actual, List<string[]> expected)
        {
            Assert.Equal(string.Join(',', expected[0]), string.Join(',', actual[0]));
            Assert.Equal(expected.Count, actual.Count);
            for (int row = 1; row < expected.Count; row++)
            {
                string[] e = expected[row];
                string[] a = actual[row];
                Assert.Equal(e[0], a[0]);
                Assert.Equal(double.Parse(e[1], CultureInfo.InvariantCulture), double.Parse(a[1], CultureInfo.InvariantCulture));
                Assert.True((e[2] == "NA") == (a[2] == "NA"), $"t={e[0]}: upperbound {a[2]}, R has {e[2]}");
                if (e[2] != "NA")
                {
                    double x = double.Parse(e[2], CultureInfo.InvariantCulture);
                    double y = double.Parse(a[2], CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Abs(x)), $"t={e[0]}: upperbound {y}, R has {x}");
                }

                Assert.True(e[3] == a[3], $"t={e[0]}: alarm {a[3]}, R has {e[3]}");
            }
        }
    }
}
