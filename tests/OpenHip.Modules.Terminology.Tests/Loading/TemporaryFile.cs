namespace OpenHip.Modules.Terminology.Tests.Loading;

/// <summary>
/// A path in a fresh folder of its own under the temporary directory; disposing removes the folder, so whatever was
/// written beside the file (a store's audit database, its WAL) goes with it.
/// </summary>
internal sealed class TemporaryFile : IDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));

    public TemporaryFile(string name)
    {
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, name);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
