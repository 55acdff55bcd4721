using System.Diagnostics;

namespace OpenHip.LoadDriver;

/// <summary>
/// A closed-loop load: N clients each send the next request as soon as the previous one is answered, for a fixed window.
/// Latency is measured per request from send to fully read response.
/// </summary>
internal static class ClosedLoop
{
    /// <param name="request">Sends one request for client <c>worker</c>; true when the answer was the expected one.</param>
    public static async Task<WindowResult> RunAsync(ServerProcess server, int clients, TimeSpan window, Func<int, CancellationToken, Task<bool>> request)
    {
        var latencies = new List<long>[clients];
        long failures = 0;
        TimeSpan serverCpuBefore = server.CpuTime();
        TimeSpan driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(window.TotalSeconds * Stopwatch.Frequency);
        Task[] workers = new Task[clients];
        for (int w = 0; w < clients; w++)
        {
            int worker = w;
            latencies[worker] = new List<long>(capacity: 1 << 16);
            workers[worker] = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    long sent = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        ok = await request(worker, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (HttpRequestException)
                    {
                        ok = false;
                    }

                    if (ok)
                    {
                        latencies[worker].Add(Stopwatch.GetTimestamp() - sent);
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        TimeSpan serverCpu = server.CpuTime() - serverCpuBefore;
        TimeSpan driverCpu = Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore;
        long[] all = [.. latencies.SelectMany(l => l)];
        Array.Sort(all);
        return new WindowResult(all.LongLength, failures, elapsed, all, serverCpu, driverCpu);
    }
}
