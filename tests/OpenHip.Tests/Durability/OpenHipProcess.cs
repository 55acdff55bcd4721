using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenHip.Tests.Durability;

/// <summary>
/// `openhip serve` as a separate OS process, so that a test can SIGKILL it: an in-process host cannot lose its
/// page cache, file handles and half-finished commits the way a killed process does.
/// </summary>
internal sealed class OpenHipProcess : IDisposable
{
    private const int KeptOutputLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private OpenHipProcess(Process process, string root)
    {
        _process = process;
        Root = root;
    }

    /// <summary>The listen address, without the /fhir base path.</summary>
    public string Root { get; }

    public string BaseUrl => Root + "/fhir";

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server wrote, for failure messages (its logs carry ids and statuses only).</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <param name="extraArguments">More `serve` flags, e.g. the store to use.</param>
    /// <param name="auth">Serve with authorization (and so the audit log) on; off by default.</param>
    /// <param name="environment">More environment variables, e.g. OPENHIP__ settings or a fault point.</param>
    public static async Task<OpenHipProcess> StartAsync(
        string dataDirectory,
        TimeSpan readyWithin,
        IReadOnlyList<string>? extraArguments = null,
        bool auth = false,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        OpenHipProcess server = Serve(dataDirectory, extraArguments, auth, environment);
        try
        {
            await server.WaitReadyAsync(readyWithin);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>`openhip serve` without waiting for it to be ready: for a start that is meant to die on the way.</summary>
    public static OpenHipProcess Serve(
        string dataDirectory, IReadOnlyList<string>? extraArguments = null, bool auth = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        string root = $"http://127.0.0.1:{FreePort()}";
        string[] serve = ["serve", .. auth ? Array.Empty<string>() : ["--no-auth"], "--urls", root, "--data-dir", dataDirectory, .. extraArguments ?? []];
        return Launch(dataDirectory, root, serve, environment);
    }

    /// <summary>Runs another `openhip` command (auth, keys, audit verify, ...) to its end; its exit code and last output lines.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(
        string workingDirectory, IReadOnlyList<string> arguments, TimeSpan within, IReadOnlyDictionary<string, string>? environment = null)
    {
        using OpenHipProcess command = Launch(workingDirectory, string.Empty, arguments, environment);
        int exit = await command.WaitForExitAsync(within);
        return (exit, command.RecentOutput);
    }

    /// <summary>Whether the process ends within <paramref name="within"/> (a dropped connection may be its death under way).</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for the process to end by itself (a fault point, a command finishing); fails after <paramref name="within"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        Assert.True(await ExitsWithinAsync(within), $"openhip did not exit within {within}:{Environment.NewLine}{RecentOutput}");
        return _process.ExitCode;
    }

    /// <summary>SIGKILL on Unix: no shutdown hooks, no flushing, exactly what a crash or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        // The server is this process itself (no children): a plain SIGKILL lands at once, where walking a process
        // tree first would give requests in flight time to finish.
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd, Kubernetes or <c>kill</c> stop a service: the server is asked to stop, not killed.</summary>
    public async Task TerminateAsync()
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -TERM {_process.Id} exited with {kill.ExitCode}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // The process never started or is already gone; nothing to clean up.
        }

        _process.Dispose();
    }

    private static OpenHipProcess Launch(string workingDirectory, string root, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        // openhip.dll is copied next to the tests because the test project references src/OpenHip.
        string dll = Path.Combine(AppContext.BaseDirectory, "openhip.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project must reference src/OpenHip");

        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // serve reads ./openhip.json when present: run where no stray one can change the settings under test.
            WorkingDirectory = workingDirectory,
        };
        // These suites are about durability and nodes; the shipped terminology would add seconds to every first start.
        start.Environment["OPENHIP__Modules__Terminology__LoadCoreContent"] = "false";
        start.Environment["OPENHIP__Modules__Terminology__LoadNationalContent"] = "false";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var server = new OpenHipProcess(process, root);
        // Both pipes are drained continuously: a full pipe would block the server's console logging and stall it.
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        Assert.True(
            await WaitReadyOrExitAsync(within),
            $"openhip exited with code {(_process.HasExited ? _process.ExitCode : 0)} before it was ready:{Environment.NewLine}{RecentOutput}");
    }

    /// <summary>True once /readyz answers 200; false if the process ended first (a fault point may fire while it starts).</summary>
    public async Task<bool> WaitReadyOrExitAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = new Uri(Root), Timeout = TimeSpan.FromSeconds(5) };
        DateTime deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer while it starts; the deadline below bounds the wait.
            }

            Assert.True(DateTime.UtcNow < deadline, $"openhip was not ready within {within}:{Environment.NewLine}{RecentOutput}");
            await Task.Delay(100);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines)
        {
            _output.TryDequeue(out _);
        }
    }

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH is set by the SDK), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
