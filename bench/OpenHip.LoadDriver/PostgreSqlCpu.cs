using System.Globalization;
using Npgsql;

namespace OpenHip.LoadDriver;

/// <summary>
/// CPU time used by a local PostgreSQL cluster: the postmaster and its live children from /proc, plus what the
/// postmaster has reaped of exited backends (cutime/cstime). It includes the cluster's background processes
/// (checkpointer, autovacuum), so it is an upper bound on the backends' share. Null when the cluster is not on this
/// machine or its files cannot be read.
/// </summary>
internal sealed class PostgreSqlCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    private readonly int _postmaster;

    private PostgreSqlCpu(int postmaster) => _postmaster = postmaster;

    public static PostgreSqlCpu? TryFind(string connectionString)
    {
        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
            string dataDirectory = (string)command.ExecuteScalar()!;
            string pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            int pid = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
            var cpu = new PostgreSqlCpu(pid);
            return cpu.Total() is null ? null : cpu;
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>CPU time of the cluster so far; null when its processes can no longer be read.</summary>
    public TimeSpan? Total()
    {
        if (Stat(_postmaster) is not { } postmaster)
        {
            return null;
        }

        // proc(5) numbering: 4 ppid, 14 utime, 15 stime, 16 cutime, 17 cstime (clock ticks).
        long ticks = postmaster[13] + postmaster[14] + postmaster[15] + postmaster[16];
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && Stat(pid) is { } child && child[3] == _postmaster)
            {
                ticks += child[13] + child[14];
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The fields of /proc/PID/stat, field n of proc(5) at index n - 1 (the command name and state as 0).</summary>
    private static long[]? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces: fields are counted from the last ')'.
        string[] rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long[] fields = new long[rest.Length + 2];
        fields[0] = pid;
        for (int i = 0; i < rest.Length; i++)
        {
            fields[i + 2] = long.TryParse(rest[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : 0;
        }

        return fields;
    }
}
