using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Events;

/// <summary>
/// Runs every <see cref="IOutboxConsumer"/> on whichever node holds its lease: read a batch after the stored position,
/// handle it, store the new position, repeat. A node without the lease retries it each poll interval, so a consumer
/// moves to a surviving node when its holder dies. A failing batch is retried after a back-off, never skipped.
/// </summary>
public sealed partial class OutboxDispatcher(
    IFhirStore store,
    IEnumerable<IOutboxConsumer> consumers,
    OutboxSignal signal,
    IOptions<FhirEngineOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(consumers.Select(consumer => RunAsync(consumer, stoppingToken)));

    private async Task RunAsync(IOutboxConsumer consumer, CancellationToken stoppingToken)
    {
        TimeSpan interval = options.Value.OutboxPollInterval;
        TimeSpan backoff = interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IOutboxLease? lease = await store.TryLeaseAsync(consumer.Name, stoppingToken).ConfigureAwait(false);
                if (lease is not null)
                {
                    await using (lease.ConfigureAwait(false))
                    {
                        await DrainAsync(consumer, lease, interval, stoppingToken).ConfigureAwait(false);
                    }
                }

                backoff = interval;
                await signal.WaitAsync(interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, consumer.Name, ex);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Handles batches while the lease is held; lets it go after some empty polls, so holding it costs nothing when idle.</summary>
    private async Task DrainAsync(IOutboxConsumer consumer, IOutboxLease lease, TimeSpan interval, CancellationToken stoppingToken)
    {
        int idleRounds = 0;
        while (!stoppingToken.IsCancellationRequested && idleRounds < options.Value.OutboxLeaseIdleRounds)
        {
            IReadOnlyList<OutboxEvent> events = await store.ReadOutboxAsync(lease.Position, options.Value.OutboxBatchSize, stoppingToken).ConfigureAwait(false);
            if (events.Count == 0)
            {
                idleRounds++;
                await signal.WaitAsync(interval, stoppingToken).ConfigureAwait(false);
                continue;
            }

            idleRounds = 0;
            await consumer.HandleAsync(events, stoppingToken).ConfigureAwait(false);
            await lease.AdvanceAsync(events[^1].Position, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Outbox consumer {Consumer} failed; its events will be handled again")]
    private static partial void LogFailed(ILogger logger, string consumer, Exception exception);
}
