using BenchmarkDotNet.Running;
using OpenHip.Modules.Synthetic;

namespace OpenHip.Benchmarks.Synthetic;

internal static class Program
{
    private static void Main(string[] args)
    {
        // "write <dir> [patients] [seed]" writes a region for a quick look; anything else runs BenchmarkDotNet.
        if (args.Length >= 2 && args[0] == "write")
        {
            int patients = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500;
            int seed = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1;
            var started = System.Diagnostics.Stopwatch.StartNew();
            RegionWriteSummary summary = new RegionWriter(new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = patients, Seed = seed })).Write(args[1]);
            double seconds = started.Elapsed.TotalSeconds;
            Console.WriteLine($"{summary.Residents} residents, {summary.Resources} resources in {seconds:F1} s ({summary.Resources / seconds:F0} resources/s)");
            foreach (KeyValuePair<string, long> type in summary.ResourcesByType)
            {
                Console.WriteLine($"  {type.Key}: {type.Value}");
            }

            foreach (OutbreakLabel outbreak in summary.Outbreaks)
            {
                Console.WriteLine($"  outbreak {outbreak.Definition.Id} {outbreak.Definition.DiseaseCode} {outbreak.Definition.DivisionCode}: {outbreak.Cases} cases");
            }

            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
