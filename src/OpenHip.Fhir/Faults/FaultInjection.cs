using System.Diagnostics;
using System.Globalization;

namespace OpenHip.Fhir.Faults;

/// <summary>
/// A test facility for crash testing: when <c>OPENHIP_FAULT_POINT</c> names one of the <see cref="FaultPoints"/>, the
/// process kills itself with SIGKILL the moment it reaches that point (the <c>OPENHIP_FAULT_AFTER</c>th time, default
/// the first). Unset, <see cref="Hit"/> is one comparison of a static readonly null, which the JIT folds away.
/// <c>OPENHIP_FAULT_LINGER_MS</c> holds the thread at the point that long before the kill while the rest of the process
/// runs on: whatever it would wrongly let out meanwhile (an answer for a write not yet committed) then reaches the test.
/// </summary>
public static class FaultInjection
{
    public const string PointVariable = "OPENHIP_FAULT_POINT";
    public const string AfterVariable = "OPENHIP_FAULT_AFTER";
    public const string LingerVariable = "OPENHIP_FAULT_LINGER_MS";

    private static readonly string? Armed = NullIfEmpty(Environment.GetEnvironmentVariable(PointVariable));
    private static readonly long FireOn = ParsePositive(Environment.GetEnvironmentVariable(AfterVariable), 1);
    private static readonly long LingerMilliseconds = ParsePositive(Environment.GetEnvironmentVariable(LingerVariable), 0);
    private static long _hits;

    /// <summary>Kills the process here when this point is armed and its turn has come; otherwise returns at once.</summary>
    public static void Hit(string point)
    {
        if (Armed is null || !string.Equals(point, Armed, StringComparison.Ordinal))
        {
            return;
        }

        if (Interlocked.Increment(ref _hits) >= FireOn)
        {
            Kill(point);
        }
    }

    private static void Kill(string point)
    {
        // The line lets a test tell the planned death from any other crash; stderr is unbuffered, so it is out before the kill.
        Console.Error.WriteLine($"fault injection: killing the process at {point}");
        if (LingerMilliseconds > 0)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(LingerMilliseconds));
        }

        // SIGKILL, as kill -9 or the OOM killer: no finally blocks, no shutdown hooks, no flush. Environment.FailFast would
        // instead write a crash report and abort (SIGABRT), which is not the crash these tests are about.
        using Process self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static long ParsePositive(string? value, long otherwise) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0 ? n : otherwise;
}
