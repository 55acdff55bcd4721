using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Events;

/// <summary>
/// Follows the outbox on every node from where it stood at start-up and tells the <see cref="IChangeObserver"/>s.
/// The start position is taken before anything is loaded from the store, so a change committed while the node loads
/// is seen twice rather than never.
/// </summary>
public sealed partial class ChangeFeed(
    IFhirStore store,
    IEnumerable<IChangeObserver> observers,
    OutboxSignal signal,
    LocalCommits localCommits,
    IOptions<FhirEngineOptions> options,
    ILogger<ChangeFeed> logger) : BackgroundService
{
    private readonly IChangeObserver[] _observers = [.. observers];
    private readonly TaskCompletionSource<OutboxPosition> _start = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called by the composition root before the stored configuration is loaded.</summary>
    public async Task MarkStartAsync(CancellationToken cancellationToken) =>
        _start.TrySetResult(await store.ReadOutboxHeadAsync(cancellationToken).ConfigureAwait(false));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_observers.Length == 0)
        {
            return;
        }

        OutboxPosition position = await _start.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        TimeSpan interval = options.Value.OutboxPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<OutboxEvent> events = await store.ReadOutboxAsync(position, options.Value.OutboxBatchSize, stoppingToken).ConfigureAwait(false);
                if (events.Count > 0)
                {
                    // This node's own versions are told to the write hooks a moment after they reach the outbox; an
                    // observer that a hook keeps current then finds them applied instead of reading them again.
                    await localCommits.SettledAsync(events).WaitAsync(stoppingToken).ConfigureAwait(false);
                    foreach (IChangeObserver observer in _observers)
                    {
                        await observer.OnChangesAsync(events, stoppingToken).ConfigureAwait(false);
                    }

                    position = events[^1].Position;
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The same events are read again next round; a store outage must not end the feed.
                LogFailed(logger, ex);
            }

            await signal.WaitAsync(interval, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Following the outbox failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
