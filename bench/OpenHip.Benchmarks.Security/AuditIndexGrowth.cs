using System.Diagnostics;
using System.Globalization;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Benchmarks.Security;

/// <summary>
/// Whether an audit event's cost grows with the log: appends journal moves of audited reads (each naming one of
/// <c>--patients</c> residents at random) to a SQLite store, as the server's mover does under load, and prints per slice
/// of the log the process's CPU and bytes written per event, and the median time of a resident's first page of audit
/// events (<c>AuditEvent?patient=</c>) over 200 residents. Not BenchmarkDotNet: the quantity is a trend over millions
/// of appends to one growing database, not a steady-state operation.
/// </summary>
internal static class AuditIndexGrowth
{
    public static async Task RunAsync(string[] args)
    {
        long events = Option(args, "--events", 3_000_000);
        int patients = (int)Option(args, "--patients", 50_000);
        int batch = (int)Option(args, "--batch", 600);
        long slice = Option(args, "--slice", 500_000);
        long agents = Option(args, "--agents", 50);
        int runsPerLevel = (int)Option(args, "--runs-per-level", new SqliteStoreOptions { DatabasePath = "-" }.AuditPatientRunsPerLevel);
        string directory = Path.Combine(Path.GetTempPath(), "openhip-audit-growth-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var options = new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "openhip.db"), AuditPatientRunsPerLevel = runsPerLevel };
            await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(options);
            Console.WriteLine($"# {events:N0} events in moves of {batch}, {patients:N0} residents, {agents:N0} agents, {runsPerLevel} runs per level; per slice of {slice:N0} events");
            Console.WriteLine("events        CPU µs/event   written B/event   wall s   audit file MiB   patient page ms");
            var random = new Random(1);
            byte[] payload = new byte[180];
            byte[] hash = new byte[32];
            random.NextBytes(payload);
            var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            (TimeSpan cpu, long written, long wall) = Sample();
            long sequence = 0;
            while (sequence < events)
            {
                var rows = new AuditRow[batch];
                for (int i = 0; i < batch; i++)
                {
                    sequence++;
                    string patient = "Patient/p" + random.Next(patients).ToString(CultureInfo.InvariantCulture);
                    rows[i] = new AuditRow("bench.1", sequence, start.AddMilliseconds(sequence), "Practitioner/dr-" + (sequence % agents).ToString(CultureInfo.InvariantCulture), [patient], payload, hash, hash);
                }

                await store.AppendAsync(rows, CancellationToken.None);
                if (sequence % slice < batch)
                {
                    (TimeSpan cpuNow, long writtenNow, long wallNow) = Sample();
                    double lookup = await PatientPageMillisecondsAsync(store, patients);
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{sequence,-13:N0} {(cpuNow - cpu).TotalMicroseconds / slice,12:F2} {(writtenNow - written) / (double)slice,17:F0} {Stopwatch.GetElapsedTime(wall, wallNow).TotalSeconds,8:F1} {new FileInfo(options.AuditDatabasePath).Length / 1048576.0,16:F0} {lookup,17:F2}"));
                    (cpu, written, wall) = Sample();
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<double> PatientPageMillisecondsAsync(SqliteFhirStore store, int patients)
    {
        var times = new List<double>();
        for (int i = 0; i < 200; i++)
        {
            string patient = "Patient/p" + ((i * 7919) % patients).ToString(CultureInfo.InvariantCulture);
            long started = Stopwatch.GetTimestamp();
            await store.SearchAuditAsync(new AuditQuery(Patient: patient, Count: 50), CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    private static (TimeSpan Cpu, long Written, long Wall) Sample()
    {
        using var process = Process.GetCurrentProcess();

        // Bytes the process caused to be sent to storage (Linux /proc/self/io), WAL and checkpoints alike.
        long written = File.ReadLines("/proc/self/io").Where(l => l.StartsWith("write_bytes:", StringComparison.Ordinal))
            .Select(l => long.Parse(l["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
        return (process.TotalProcessorTime, written, Stopwatch.GetTimestamp());
    }

    private static long Option(string[] args, string name, long fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
