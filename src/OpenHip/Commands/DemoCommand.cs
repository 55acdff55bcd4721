using System.CommandLine;
using OpenHip.Modules.Synthetic;

namespace OpenHip.Commands;

/// <summary>`openhip demo generate`: writes a synthetic region (bundles, NDJSON, ground truth) to a folder.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "Number of residents", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same bytes", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output folder (missing or empty)", Required = true };
        var generate = new Command("generate", "Generate a synthetic health region") { patients, seed, output };
        generate.SetAction((result, ct) =>
        {
            var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = result.GetValue(patients), Seed = result.GetValue(seed) });
            RegionWriteSummary summary = new RegionWriter(generator).Write(result.GetValue(output)!, ct);
            Console.WriteLine($"{summary.Residents} residents, {summary.Resources} resources written to {summary.Directory}");
            return Task.FromResult(0);
        });
        return new Command("demo", "Synthetic demo data") { generate };
    }
}
