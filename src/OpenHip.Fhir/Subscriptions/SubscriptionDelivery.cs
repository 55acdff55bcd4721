using Hl7.Fhir.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>
/// Keeps one <see cref="SubscriptionRunner"/> per active Subscription version on every node (the runners' leases decide
/// which node actually delivers each), looking again when a Subscription is written here and every few seconds for
/// other nodes' writes.
/// </summary>
internal sealed partial class SubscriptionDelivery(
    IFhirStore store,
    SearchService search,
    SearchRequestParser parser,
    ResourceService resources,
    RestHookSender sender,
    OutboxSignal outbox,
    SubscriptionSignal signal,
    IOptions<FhirEngineOptions> options,
    TimeProvider time,
    ILogger<SubscriptionDelivery> logger) : BackgroundService
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

    private readonly Dictionary<(string Id, long Version), (CancellationTokenSource Stop, Task Running)> _runners = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex);
                }

                await signal.WaitAsync(Refresh, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach ((CancellationTokenSource stop, Task running) in _runners.Values)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                stop.Dispose();
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        // Null for a version whose runner already runs: it was checked when that runner started, not every look.
        var active = new Dictionary<(string, long), RestHookChannel?>();
        string? cursor = null;
        do
        {
            List<KeyValuePair<string, string>> parameters = [new("status", "active"), new("_count", "1000")];
            if (cursor is not null)
            {
                parameters.Add(new("_cursor", cursor));
            }

            SearchResult page = await search.SearchAsync(SearchScope.ForType("Subscription"), parameters, SearchHandling.Strict, Access.AccessPolicy.Unrestricted, ct).ConfigureAwait(false);
            foreach (StoredResource stored in page.Page.Resources)
            {
                (string, long) key = (stored.Id, stored.VersionId);
                if (_runners.ContainsKey(key))
                {
                    active[key] = null;
                }
                else if (FhirCodec.ParseStored(stored.Json.Span) is Subscription subscription && Channel(subscription) is { } channel)
                {
                    active[key] = channel;
                }
            }

            cursor = page.Page.NextCursor;
        }
        while (cursor is not null);

        foreach ((string Id, long Version) key in _runners.Keys.Where(k => !active.ContainsKey(k)).ToList())
        {
            (CancellationTokenSource stop, Task running) = _runners[key];
            _runners.Remove(key);
            await stop.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stop.Dispose();
        }

        foreach (((string id, long version), RestHookChannel? channel) in active.Where(a => a.Value is not null))
        {
            var stop = new CancellationTokenSource();
            var runner = new SubscriptionRunner(channel!, version, store, search, resources, sender, outbox, options.Value, time, logger);
            _runners[(id, version)] = (stop, Task.Run(() => runner.RunAsync(stop.Token), CancellationToken.None));
        }
    }

    private RestHookChannel? Channel(Subscription subscription)
    {
        try
        {
            return RestHookChannel.Of(subscription, options.Value.Subscriptions, parser);
        }
        catch (FhirException ex)
        {
            // Valid when written, not any more (the allow-list or the search parameters changed): its runner says so
            // when it next has something to send; until then it simply does not run.
            LogUnusable(logger, subscription.Id ?? "?", ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Subscriptions could not be reconciled; trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Subscription {Subscription} cannot be delivered as it stands: {Reason}")]
    private static partial void LogUnusable(ILogger logger, string subscription, string reason);
}
