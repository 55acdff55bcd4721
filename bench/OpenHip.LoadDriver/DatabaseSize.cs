using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenHip.LoadDriver;

/// <summary>
/// The store's size on disk after a load: the file (plus WAL), then per table and index from SQLite's <c>dbstat</c>
/// virtual table, read from read-only connections while the server is stopped. The search index is the <c>ix_*</c>
/// tables and their indexes.
/// </summary>
internal static class DatabaseSize
{
    public const string FileName = "openhip.db";

    private const double MiB = 1024.0 * 1024.0;

    public static void Report(string dataDirectory, long resources)
    {
        string path = Path.Combine(dataDirectory, FileName);
        long main = new FileInfo(path).Length;
        long wal = File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0;
        double perResource = resources > 0 ? 1.0 / resources : double.NaN;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"database: {FileName} {main / MiB:F1} MiB + wal {wal / MiB:F1} MiB = {(main + wal) / MiB:F1} MiB for {resources} resources = {(main + wal) * perResource:F0} bytes/resource"));

        using SqliteConnection connection = ReadOnly(path);
        Dictionary<string, (string Type, string Table)> objects = [];
        using (SqliteCommand schema = connection.CreateCommand())
        {
            schema.CommandText = "SELECT name, type, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')";
            using SqliteDataReader reader = schema.ExecuteReader();
            while (reader.Read())
            {
                objects[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        Dictionary<string, long>? sizes = ObjectSizes(connection, path, out string source);
        if (sizes is null)
        {
            // SQLite keeps no per-object page counts anywhere else: only whole-file figures then.
            Dictionary<string, long> pragmas = Query(connection, "SELECT 'pages', page_count * page_size FROM pragma_page_count, pragma_page_size UNION ALL SELECT 'free', freelist_count * page_size FROM pragma_freelist_count, pragma_page_size");
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  pages {pragmas["pages"] / MiB:F1} MiB, free {pragmas["free"] / MiB:F1} MiB; per-table sizes need dbstat ({source})"));
            return;
        }

        Console.WriteLine($"  per table and index, from dbstat ({source}):");
        // Each table, then its indexes, largest tables first.
        foreach (IGrouping<string, KeyValuePair<string, long>> table in sizes
            .GroupBy(s => objects.TryGetValue(s.Key, out var o) ? o.Table : s.Key, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(s => s.Value)))
        {
            long tableBytes = table.Sum(s => s.Value);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {table.Key,-36} {tableBytes / MiB,9:F2} MiB {tableBytes * perResource,8:F0} B/resource (with its indexes)"));
            foreach ((string name, long bytes) in table.OrderByDescending(s => s.Value))
            {
                string kind = objects.TryGetValue(name, out var o) ? o.Type : "table"; // sqlite_schema itself
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {kind,-5} {name,-38} {bytes / MiB,9:F2} MiB {bytes * perResource,8:F0} B/resource"));
            }
        }

        long indexTables = sizes.Where(s => IsSearchIndex(objects, s.Key, out bool isTable) && isTable).Sum(s => s.Value);
        long indexIndexes = sizes.Where(s => IsSearchIndex(objects, s.Key, out bool isTable) && !isTable).Sum(s => s.Value);
        long total = sizes.Values.Sum();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT index-size: ix_* tables {indexTables / MiB:F1} MiB + their indexes {indexIndexes / MiB:F1} MiB = {(indexTables + indexIndexes) / MiB:F1} MiB, " +
            $"{(indexTables + indexIndexes) * perResource:F0} bytes/resource ({100.0 * (indexTables + indexIndexes) / total:F0} % of {total / MiB:F1} MiB in use); " +
            $"file {(main + wal) * perResource:F0} bytes/resource"));
    }

    /// <summary>A read-only connection without pooling, so the file is released as soon as the caller is done.</summary>
    public static SqliteConnection ReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Bytes per table and index from dbstat: in-process when Microsoft.Data.Sqlite's SQLite has it, else through the
    /// sqlite3 shell in read-only mode (the bundled e_sqlite3 is built without dbstat; Debian's sqlite3 has it).
    /// </summary>
    private static Dictionary<string, long>? ObjectSizes(SqliteConnection connection, string path, out string source)
    {
        const string Sql = "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name";
        try
        {
            source = "in process";
            return Query(connection, Sql);
        }
        catch (SqliteException ex) when (ex.Message.Contains("dbstat", StringComparison.Ordinal))
        {
            source = "sqlite3 shell";
        }

        var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["-readonly", "-batch", "-separator", "|", path, Sql])
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using Process shell = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start");
            Task<string> errors = shell.StandardError.ReadToEndAsync();
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            while (shell.StandardOutput.ReadLine() is { } line)
            {
                int bar = line.LastIndexOf('|');
                sizes[line[..bar]] = long.Parse(line.AsSpan(bar + 1), CultureInfo.InvariantCulture);
            }

            shell.WaitForExit();
            if (shell.ExitCode != 0 || sizes.Count == 0)
            {
                source = $"this SQLite lacks it and the sqlite3 shell failed: {errors.Result.Trim()}";
                return null;
            }

            return sizes;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            source = "this SQLite lacks it and no sqlite3 shell is on the PATH";
            return null;
        }
    }

    private static bool IsSearchIndex(Dictionary<string, (string Type, string Table)> objects, string name, out bool isTable)
    {
        if (!objects.TryGetValue(name, out var o))
        {
            isTable = false;
            return false;
        }

        isTable = o.Type == "table";
        return o.Table.StartsWith("ix_", StringComparison.Ordinal);
    }

    private static Dictionary<string, long> Query(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }

        return rows;
    }
}
