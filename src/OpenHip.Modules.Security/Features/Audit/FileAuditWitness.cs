using System.Text;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The default witness: one JSON line per checkpoint appended to a file outside the data directory, flushed to disk
/// before the checkpoint counts as exported. Point it at storage the database's administrators cannot rewrite
/// (another disk, an append-only mount, a log shipper) for the witness to be worth its name.
/// </summary>
internal sealed class FileAuditWitness(string path) : IAuditWitness, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Description => Path;

    public async Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] line = Encoding.UTF8.GetBytes(checkpoint.ToLine() + "\n");
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string? directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    public async Task<long?> LastNumberAsync(string node, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return 0;
        }

        long last = 0;
        foreach (string line in await File.ReadAllLinesAsync(Path, cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            AuditCheckpoint checkpoint = AuditCheckpoint.ParseLine(line);
            if (checkpoint.Node == node)
            {
                last = Math.Max(last, checkpoint.Number);
            }
        }

        return last;
    }
}
