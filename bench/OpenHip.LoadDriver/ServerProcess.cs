using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenHip.LoadDriver;

/// <summary>
/// The real server as a child process on a free loopback port with an empty data directory of its own (or a given one,
/// which is always kept), so every run measures the shipped executable (Kestrel, logging, group commit, fsync) rather
/// than an in-process host.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly bool _keep;
    private readonly Queue<string> _lastLines = new();
    private bool _disposed;

    private ServerProcess(Process process, string dataDirectory, bool keep, Uri baseUri)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        _keep = keep;
        BaseUri = baseUri;
    }

    /// <summary>The FHIR base, ending in a slash so relative URIs ("Patient/1") resolve under it.</summary>
    public Uri BaseUri { get; }

    public int ProcessId => _process.Id;

    public string DataDirectory => _dataDirectory;

    /// <param name="auth">Start with auth on (the default of `openhip serve`); otherwise `--no-auth`, as most scenarios measure the engine.</param>
    public static async Task<ServerProcess> StartAsync(
        string serverAssembly, bool keep, IEnumerable<KeyValuePair<string, string>> settings, string? dataDirectory, CancellationToken ct, bool auth = false)
    {
        if (!File.Exists(serverAssembly))
        {
            throw new FileNotFoundException($"openhip.dll not found at {serverAssembly}; build src/OpenHip in this configuration or pass --server", serverAssembly);
        }

        keep |= dataDirectory is not null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "openhip-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDirectory);
        string url = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("dotnet")
        {
            // The data directory doubles as the working directory so no stray ./openhip.json is picked up.
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[serverAssembly, "serve", .. auth ? Array.Empty<string>() : ["--no-auth"], "--urls", url, "--data-dir", dataDirectory])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("OPENHIP__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (KeyValuePair<string, string> setting in settings)
        {
            start.Environment["OPENHIP__" + setting.Key.Replace(":", "__", StringComparison.Ordinal)] = setting.Value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, dataDirectory, keep, new Uri(url + "/fhir/"));
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(new Uri(url + "/readyz"), ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Peak resident set size of the server so far (VmHWM), in bytes.</summary>
    public long PeakRssBytes() => ProcStatusKilobytes("VmHWM:") * 1024;

    /// <summary>Current resident set size (VmRSS), in bytes.</summary>
    public long RssBytes() => ProcStatusKilobytes("VmRSS:") * 1024;

    /// <summary>User + system CPU time the server has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>
    /// Stops the server with SIGTERM so it shuts down as in production rather than being killed mid-write; kills it if it
    /// has not exited within <paramref name="grace"/>.
    /// </summary>
    /// <summary>
    /// Waits until the server's background work (the MPI linking and surveillance consumers catching up on seeded data)
    /// has drained: less than 5% of a core used over two seconds, or the deadline.
    /// </summary>
    public async Task WaitIdleAsync(TimeSpan deadline)
    {
        DateTime until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            TimeSpan before = CpuTime();
            await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            if ((CpuTime() - before).TotalSeconds / 2 < 0.05)
            {
                return;
            }
        }

        Console.WriteLine($"# server {ProcessId} still busy after {deadline.TotalSeconds:F0} s; measuring anyway");
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (Process? kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            if (kill is not null)
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        if (!_keep)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);

                // The audit witness is kept beside the data directory, outside it, by default.
                File.Delete(_dataDirectory + ".audit-witness.jsonl");
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless; the run's figures are what matter.
            }
        }
        else
        {
            Console.WriteLine($"# kept {_dataDirectory}");
        }
    }

    private async Task WaitReadyAsync(Uri readyz, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyDeadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}:{Environment.NewLine}{LastLines()}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(readyz, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"the server was not ready within {ReadyDeadline.TotalSeconds} s:{Environment.NewLine}{LastLines()}");
    }

    private long ProcStatusKilobytes(string field)
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not found in /proc/{_process.Id}/status");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private string LastLines()
    {
        lock (_lastLines)
        {
            return string.Join(Environment.NewLine, _lastLines);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
