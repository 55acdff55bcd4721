using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenHip.Modules.Security.Features.Keys;

/// <summary>Reloads the key ring every minute, so `auth key rotate` takes effect on every running node.</summary>
internal sealed class KeyRingRefresher(KeyRing keys, TimeProvider time, ILogger<KeyRingRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await keys.ReloadAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The old keys stay in use; the next tick tries again.
                AuthLog.KeyReloadFailed(logger, ex);
            }
        }
    }
}
