using System.CommandLine;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;

namespace OpenHip.Commands;

/// <summary>
/// `openhip surveillance detect`: runs one aberration detector on a series file offline (issue #10, item 6).
/// Unknown algorithms, parameters or unreadable input give a message on stderr and exit code 2.
/// </summary>
internal static class SurveillanceCommand
{
    public const int UsageError = 2;

    public static Command Create()
    {
        var catalog = new DetectorCatalog();
        var algorithm = new Option<string>("--algorithm") { Description = $"One of: {string.Join(", ", catalog.Names)}", Required = true };
        var parameters = new Option<string[]>("--param")
        {
            Description = "Control as name=value, repeatable (e.g. preset=noufaily, mode=cdc, alpha=0.01, frequency=52, range=264:312)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var input = new Option<string>("--input") { Description = "Series CSV with columns t,epoch,observed (other columns ignored)", Required = true };
        var output = new Option<string>("--output") { Description = "Result CSV: t,observed,upperbound,alarm (NA outside the monitored range)", Required = true };
        var detect = new Command("detect", "Run an aberration detection algorithm on a count series") { algorithm, parameters, input, output };
        detect.SetAction((result, ct) => Task.FromResult(Detect(
            new OfflineDetection(catalog),
            result.GetValue(algorithm)!,
            result.GetValue(parameters) ?? [],
            result.GetValue(input)!,
            result.GetValue(output)!)));
        return new Command("surveillance", "Public-health surveillance tools") { detect };
    }

    private static int Detect(OfflineDetection detection, string algorithm, string[] parameters, string inputPath, string outputPath)
    {
        string temporary = outputPath + ".partial";
        try
        {
            using (var reader = new StreamReader(inputPath))
            using (var writer = new StreamWriter(temporary))
            {
                detection.Run(algorithm, parameters, reader, writer);
            }

            // Only a complete result replaces the output file.
            File.Move(temporary, outputPath, overwrite: true);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException)
        {
            File.Delete(temporary);
            Console.Error.WriteLine($"openhip surveillance detect: {e.Message}");
            return UsageError;
        }
    }
}
