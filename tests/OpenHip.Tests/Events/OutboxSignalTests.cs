using System.Runtime.ExceptionServices;
using OpenHip.Fhir.Events;

namespace OpenHip.Tests.Events;

/// <summary>The outbox readers' wake-up: a notify ends the wait, a timeout ends it quietly, a cancellation ends it loudly.</summary>
public sealed class OutboxSignalTests
{
    [Fact]
    public async Task WaitAsync_TimingOut_ReturnsWithoutThrowingAnything()
    {
        var signal = new OutboxSignal();
        int thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            // First-chance exceptions are process-wide: count only the ones thrown inside the signal's own wait.
            if (e.Exception is TimeoutException && new System.Diagnostics.StackTrace().ToString().Contains(nameof(OutboxSignal), StringComparison.Ordinal))
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (int i = 0; i < 20; i++)
            {
                await signal.WaitAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None);
            }
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, thrown);
    }

    [Fact]
    public async Task WaitAsync_Notified_ReturnsAndCancelled_Throws()
    {
        var signal = new OutboxSignal();
        Task waiting = signal.WaitAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        signal.Notify();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        using var cancel = new CancellationTokenSource();
        Task cancelled = signal.WaitAsync(TimeSpan.FromMinutes(5), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }
}
