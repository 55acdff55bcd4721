using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace OpenHip.Testing;

/// <summary>
/// The PostgreSQL server of one test run: <c>OPENHIP_TEST_POSTGRES</c> (an admin connection string) when set,
/// otherwise a throwaway cluster started from the machine's PostgreSQL binaries (<c>initdb</c> + <c>pg_ctl</c>
/// in a temp dir, loopback, a free port) and removed at the end of the run. Each test gets a fresh database.
/// Without either, the tests skip with the reason locally and fail on CI (CI=true), where they must run.
/// </summary>
internal sealed class PostgreSqlTestServer
{
    public const string EnvironmentVariable = "OPENHIP_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgreSqlTestServer? _shared;
    private static string? _unavailable;

    private readonly string _adminConnectionString;
    private readonly TemporaryCluster? _cluster;

    private PostgreSqlTestServer(string adminConnectionString, TemporaryCluster? cluster)
    {
        _adminConnectionString = adminConnectionString;
        _cluster = cluster;
    }

    /// <summary>The server of this run, started on first use.</summary>
    public static async Task<PostgreSqlTestServer> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null && _unavailable is null)
            {
                string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
                if (!string.IsNullOrWhiteSpace(configured))
                {
                    _shared = new PostgreSqlTestServer(configured, null);
                }
                else if (TemporaryCluster.FindBinaries() is { } binaries)
                {
                    TemporaryCluster cluster = await TemporaryCluster.StartAsync(binaries);
                    _shared = new PostgreSqlTestServer(cluster.AdminConnectionString, cluster);
                }
                else
                {
                    _unavailable = $"no PostgreSQL: set {EnvironmentVariable} to an admin connection string, or install the server "
                        + "(apt-get install postgresql) so that /usr/lib/postgresql/<version>/bin/initdb exists";
                }
            }
        }
        finally
        {
            Gate.Release();
        }

        // CI must run these tests: a missing server there is a broken set-up, not a reason to skip.
        Assert.False(_unavailable is not null && Environment.GetEnvironmentVariable("CI") == "true", $"PostgreSQL tests cannot run on CI: {_unavailable}");
        Skip.If(_unavailable is not null, _unavailable);
        return _shared!;
    }

    /// <summary>Stops and removes the cluster this run started, if any (the end of the test collection).</summary>
    public static async Task StopSharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared?._cluster is { } cluster)
            {
                await cluster.StopAsync();
            }

            _shared = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database and returns the connection string that reaches it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "openhip_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A cluster in a temp dir, owned by the <c>postgres</c> user when the tests run as root (initdb refuses root).</summary>
    private sealed class TemporaryCluster
    {
        private readonly string _bin;
        private readonly string _directory;
        private readonly bool _asPostgresUser;

        private TemporaryCluster(string bin, string directory, bool asPostgresUser, int port)
        {
            _bin = bin;
            _directory = directory;
            _asPostgresUser = asPostgresUser;
            AdminConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
            }.ConnectionString;
        }

        public string AdminConnectionString { get; }

        private string DataDirectory => Path.Combine(_directory, "data");

        /// <summary>The bin folder of the newest installed server version, or null.</summary>
        public static string? FindBinaries()
        {
            const string root = "/usr/lib/postgresql";
            if (!Directory.Exists(root))
            {
                return null;
            }

            return Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "initdb")) && File.Exists(Path.Combine(d.Dir, "bin", "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault();
        }

        public static async Task<TemporaryCluster> StartAsync(string bin)
        {
            bool asPostgresUser = Environment.UserName == "root";
            string directory = Path.Combine(Path.GetTempPath(), "openhip-pg-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var cluster = new TemporaryCluster(bin, directory, asPostgresUser, FreePort());
            try
            {
                if (asPostgresUser)
                {
                    await RunAsync("chown", ["postgres:postgres", directory]);
                }

                await cluster.RunToolAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
                int port = new NpgsqlConnectionStringBuilder(cluster.AdminConnectionString).Port;

                // A throwaway cluster: durability settings off for speed (the tests check behaviour, not crash safety).
                string options = string.Create(
                    CultureInfo.InvariantCulture,
                    $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
                await cluster.RunToolAsync("pg_ctl", ["-D", cluster.DataDirectory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", options, "start"]);
                return cluster;
            }
            catch
            {
                await cluster.StopAsync();
                throw;
            }
        }

        public async Task StopAsync()
        {
            try
            {
                if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                {
                    await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
                }
            }
            finally
            {
                Directory.Delete(_directory, recursive: true);
            }
        }

        private Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
            _asPostgresUser
                ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
                : RunAsync(Path.Combine(_bin, tool), arguments);

        private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:{Environment.NewLine}{await output}{await error}");
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
