using BenchmarkDotNet.Running;

namespace OpenHip.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        // `corpus [passes|by-parameter]` is a plain timed run over all the Synthea data, too large for BenchmarkDotNet's repetitions.
        if (args is ["corpus", ..])
        {
            string option = args.Length > 1 ? args[1] : "1";
            IndexerCorpus.Run(option == "by-parameter" ? 0 : int.Parse(option, System.Globalization.CultureInfo.InvariantCulture), option == "by-parameter");
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
