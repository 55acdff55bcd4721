using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace OpenHip.Modules.Security.Tests.SmartClient;

/// <summary>
/// Runs a script of <c>tests/smart-client</c> (a real SMART client: npm <c>fhirclient</c>, and <c>playwright-core</c>
/// driving Debian's Chromium) with node, under a deadline. What it needs — node on PATH, the project's node_modules
/// (<c>npm ci --prefix tests/smart-client</c>) and, for the browser, <c>/usr/bin/chromium</c> (or <c>OPENHIP_CHROMIUM</c>)
/// — is looked up first: missing on a developer machine the test skips with the reason; on CI (CI=true) it fails.
/// </summary>
internal static class NodeScript
{
    public const string ChromiumVariable = "OPENHIP_CHROMIUM";

    public static string Chromium => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Skips (locally) or fails (CI) unless the script can run; returns the tests/smart-client directory.</summary>
    public static string Require(bool browser)
    {
        string? directory = FindDirectory();
        string? missing = directory is null ? "tests/smart-client was not found above " + AppContext.BaseDirectory
            : FindOnPath("node") is null ? "no node on PATH (apt-get install nodejs npm)"
            : !Directory.Exists(Path.Combine(directory, "node_modules", "fhirclient")) || !Directory.Exists(Path.Combine(directory, "node_modules", "playwright-core"))
                ? "no node_modules in tests/smart-client: run `npm ci --prefix tests/smart-client`"
            : browser && !File.Exists(Chromium) ? $"no Chromium at {Chromium}: apt-get install chromium (or set {ChromiumVariable})"
            : null;

        // CI must run these tests: a missing tool there is a broken set-up (.ci/run installs them), not a reason to skip.
        Assert.False(missing is not null && Environment.GetEnvironmentVariable("CI") == "true", $"SMART client tests cannot run on CI: {missing}");
        Skip.If(missing is not null, "SMART client test skipped: " + missing);
        return directory!;
    }

    public static async Task<Result> RunAsync(string directory, string script, IReadOnlyDictionary<string, string> arguments, TimeSpan deadline)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach ((string name, string value) in arguments)
        {
            start.ArgumentList.Add("--" + name);
            start.ArgumentList.Add(value);
        }

        // The script has its own, shorter deadline; this one only stops a hung node.
        start.ArgumentList.Add("--timeout");
        start.ArgumentList.Add(((int)(deadline.TotalMilliseconds * 0.9)).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Win32Exception)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Same.
            }

            await process.WaitForExitAsync();
            Assert.Fail($"node {script} did not finish within {deadline}: {await stdout}\n{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    private static string? FindDirectory()
    {
        for (DirectoryInfo? at = new(AppContext.BaseDirectory); at is not null; at = at.Parent)
        {
            string candidate = Path.Combine(at.FullName, "tests", "smart-client");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        /// <summary>The JSON line the script printed last.</summary>
        public System.Text.Json.Nodes.JsonObject Json => System.Text.Json.Nodes.JsonNode.Parse(Stdout.Trim().Split('\n')[^1])!.AsObject();

        public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\nstdout: {Stdout}\nstderr: {Stderr}";
    }
}
