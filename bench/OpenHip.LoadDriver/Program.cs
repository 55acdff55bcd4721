using OpenHip.LoadDriver;

// Errors go to stderr with exit code 1 (bad usage 2), so a script running several scenarios notices a failed one.
if (args is ["--help" or "-h" or "help", ..])
{
    Console.WriteLine(DriverOptions.Usage);
    return 0;
}

DriverOptions options;
try
{
    options = DriverOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"OpenHip.LoadDriver: {ex.Message}{Environment.NewLine}{DriverOptions.Usage}");
    return 2;
}

string serverAssembly = options.Server ?? RepoPaths.ServerAssembly() ?? throw new InvalidOperationException("openhip.dll not found: pass --server");
string data = options.Data ?? RepoPaths.FhirData() ?? throw new InvalidOperationException("test data not found: pass --data");
// The machine is shared: the load average at the start says whether a run had the cores to itself.
string loadAverage = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
Console.WriteLine($"# server {serverAssembly}; {Environment.ProcessorCount} cores; load average {loadAverage}; {DateTimeOffset.UtcNow:u}");
try
{
    Task run = options.Scenario switch
    {
        "ingest" => IngestScenario.RunAsync(options, serverAssembly, data),
        "creates" => CreatesScenario.RunAsync(options, serverAssembly),
        "reads" => ReadsScenario.RunAsync(options, serverAssembly),
        "secure-mix" => SecureMixScenario.RunAsync(options, serverAssembly),
        "encrypted-creates" => EncryptedCreatesScenario.RunAsync(options, serverAssembly),
        "bigbundle" => BigBundleScenario.RunAsync(options, serverAssembly),
        "region-load" => RegionLoadScenario.RunAsync(options, serverAssembly),
        "search" => SearchScenario.RunAsync(options, serverAssembly),
        "subscriptions" => SubscriptionsScenario.RunAsync(options, serverAssembly),
        "match" => MatchScenario.RunAsync(options, serverAssembly),
        _ => throw new ArgumentException($"unknown scenario '{options.Scenario}'"),
    };
    await run;
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or TimeoutException or HttpRequestException)
{
    await Console.Error.WriteLineAsync($"OpenHip.LoadDriver: {ex.Message}");
    return 1;
}
