namespace OpenHip.Modules.Synthetic.Tests;

/// <summary>One small region written once and shared by the tests that read files.</summary>
public sealed class RegionFixture : IDisposable
{
    public static readonly SyntheticRegionOptions Options = new() { Patients = 400, Seed = 7, VariationShare = 0.3 };

    public RegionFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "openhip-synthetic-" + Guid.NewGuid().ToString("N"));
        Generator = new SyntheticRegionGenerator(Options);
        Summary = new RegionWriter(Generator).Write(Directory);
    }

    public string Directory { get; }

    public SyntheticRegionGenerator Generator { get; }

    public RegionWriteSummary Summary { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
