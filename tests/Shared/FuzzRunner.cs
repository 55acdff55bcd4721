using Xunit;

namespace OpenHip.Testing;

/// <summary>
/// Runs generated inputs one after another on a worker while the test thread polls its progress: an input that makes no
/// progress within the stall limit fails the test naming the input (a hang guard, not a timing assertion; the limit is
/// far above any normal input's cost). Checks that take a token get one cancelled at the stall limit.
/// </summary>
internal static class FuzzRunner
{
    public static readonly TimeSpan DefaultStallLimit = TimeSpan.FromSeconds(15);

    public static Task RunAsync(int count, Action<int> check, Func<int, string> describe) =>
        RunAsync(count, (i, _) =>
        {
            check(i);
            return Task.CompletedTask;
        }, describe, DefaultStallLimit);

    public static async Task RunAsync(int count, Func<int, CancellationToken, Task> check, Func<int, string> describe, TimeSpan stallLimit)
    {
        int current = -1;
        Task worker = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                Volatile.Write(ref current, i);
                using var perInput = new CancellationTokenSource(stallLimit);
                await check(i, perInput.Token).ConfigureAwait(false);
            }
        });

        int lastSeen = -1;
        DateTimeOffset lastMove = TimeProvider.System.GetUtcNow();
        while (!worker.IsCompleted)
        {
            await Task.WhenAny(worker, Task.Delay(TimeSpan.FromMilliseconds(100))).ConfigureAwait(false);
            int now = Volatile.Read(ref current);
            if (now != lastSeen)
            {
                lastSeen = now;
                lastMove = TimeProvider.System.GetUtcNow();
            }
            else if (!worker.IsCompleted && TimeProvider.System.GetUtcNow() - lastMove > stallLimit)
            {
                Assert.Fail($"input {now} made no progress (hang): {describe(now)}");
            }
        }

        await worker.ConfigureAwait(false);
    }
}
