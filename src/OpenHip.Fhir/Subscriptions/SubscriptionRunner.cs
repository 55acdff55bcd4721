using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>
/// One subscription's delivery stream: the outbox after the write that activated it, read under the lease
/// <c>subscription:&lt;id&gt;</c> so exactly one node delivers it; each matching event notified in order, retried with a
/// doubling delay, and the position moved on only after the endpoint took it (a restart or a node's death sends the
/// unacknowledged notification again: at least once, never lost). After the last attempt the Subscription is set to
/// <c>error</c> with the reason, and its position stays where it is for when it is switched on again.
/// </summary>
internal sealed partial class SubscriptionRunner(
    RestHookChannel channel,
    long subscriptionVersion,
    IFhirStore store,
    SearchService search,
    ResourceService resources,
    RestHookSender sender,
    OutboxSignal outbox,
    FhirEngineOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IOutboxLease? lease = await store.TryLeaseAsync("subscription:" + channel.SubscriptionId, stoppingToken).ConfigureAwait(false);
                if (lease is not null)
                {
                    await using (lease.ConfigureAwait(false))
                    {
                        if (!await DrainAsync(lease, stoppingToken).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                }

                await outbox.WaitAsync(options.OutboxPollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, channel.SubscriptionId, ex);
                await Task.Delay(options.Subscriptions.FirstRetryDelay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Delivers while the lease is held and events come; false once the subscription has been set to error.</summary>
    private async Task<bool> DrainAsync(IOutboxLease lease, CancellationToken stoppingToken)
    {
        if (lease.Position == OutboxPosition.Start)
        {
            string? start = await store.GetStateAsync(SubscriptionActivations.StartKey(channel.SubscriptionId), stoppingToken).ConfigureAwait(false);
            if (SubscriptionActivations.Parse(start) is not { } activated)
            {
                // The activation has not been noted yet; never start from the beginning of the outbox.
                return true;
            }

            await lease.AdvanceAsync(activated, stoppingToken).ConfigureAwait(false);
        }

        int idleRounds = 0;
        while (!stoppingToken.IsCancellationRequested && idleRounds < options.OutboxLeaseIdleRounds)
        {
            IReadOnlyList<OutboxEvent> events = await store.ReadOutboxAsync(lease.Position, options.OutboxBatchSize, stoppingToken).ConfigureAwait(false);
            if (events.Count == 0)
            {
                idleRounds++;
                await outbox.WaitAsync(options.OutboxPollInterval, stoppingToken).ConfigureAwait(false);
                continue;
            }

            idleRounds = 0;
            HashSet<string> matching = await MatchingAsync(events, stoppingToken).ConfigureAwait(false);
            OutboxEvent[] notified = [.. events.Where(e => e.Type == channel.Type && e.Method != WriteMethod.Delete && matching.Contains(e.Id))];
            IReadOnlyDictionary<VersionKey, StoredResource>? payloads = channel.WithPayload && notified.Length > 0
                ? await OutboxVersions.ReadAsync(store, notified, stoppingToken).ConfigureAwait(false)
                : null;
            OutboxPosition? handled = null;
            foreach (OutboxEvent change in events)
            {
                if (change.Type == channel.Type && change.Method != WriteMethod.Delete && matching.Contains(change.Id)
                    && await DeliverAsync(change, payloads, stoppingToken).ConfigureAwait(false) is { } failure)
                {
                    if (handled is { } before)
                    {
                        await lease.AdvanceAsync(before, stoppingToken).ConfigureAwait(false);
                    }

                    await SetErrorAsync(failure, stoppingToken).ConfigureAwait(false);
                    return false;
                }

                handled = change.Position;
            }

            // Once per batch: a crash before this sends the batch's notifications again (at least once), never fewer.
            await lease.AdvanceAsync(events[^1].Position, stoppingToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// The ids among the batch's writes of the criteria's type that meet the criteria, asked with the criteria plus
    /// <c>_id</c> lists (one search per <see cref="FhirEngineOptions.MaxSearchOrValues"/> writes, not one per write).
    /// R4 applies the criteria to the new value of the resource: here, its current version.
    /// </summary>
    private async Task<HashSet<string>> MatchingAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var matching = new HashSet<string>(StringComparer.Ordinal);
        string[] candidates = [.. events.Where(e => e.Type == channel.Type && e.Method != WriteMethod.Delete).Select(e => e.Id).Distinct(StringComparer.Ordinal)];
        foreach (string[] chunk in candidates.Chunk(options.MaxSearchOrValues))
        {
            SearchResult result = await search.SearchAsync(
                SearchScope.ForType(channel.Type),
                [.. channel.Criteria, new("_id", string.Join(',', chunk)), new("_count", chunk.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("_elements", "id")],
                SearchHandling.Strict,
                Access.AccessPolicy.Unrestricted,
                ct).ConfigureAwait(false);
            matching.UnionWith(result.Page.Resources.Select(r => r.Id));
        }

        return matching;
    }

    /// <summary>Null once delivered; the last failure when every attempt failed.</summary>
    /// <param name="payloads">The batch's versions to send (read together), null without payloads.</param>
    private async Task<string?> DeliverAsync(OutboxEvent change, IReadOnlyDictionary<VersionKey, StoredResource>? payloads, CancellationToken ct)
    {
        ReadOnlyMemory<byte>? payload = payloads?.GetValueOrDefault(change.Version)?.Json;

        TimeSpan delay = options.Subscriptions.FirstRetryDelay;
        string? failure = null;
        for (int attempt = 1; attempt <= options.Subscriptions.MaxAttempts; attempt++)
        {
            failure = await sender.SendAsync(channel, change.Type, change.Id, payload, ct).ConfigureAwait(false);
            if (failure is null)
            {
                return null;
            }

            LogAttemptFailed(logger, channel.SubscriptionId, attempt, failure);
            if (attempt < options.Subscriptions.MaxAttempts)
            {
                await Task.Delay(delay, time, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Subscriptions.MaxRetryDelay.Ticks));
            }
        }

        return failure;
    }

    private async Task SetErrorAsync(string failure, CancellationToken ct)
    {
        StoredResource? current = await store.ReadCurrentAsync("Subscription", channel.SubscriptionId, ct).ConfigureAwait(false);
        if (current is null || current.IsDeleted || current.VersionId != subscriptionVersion || FhirCodec.ParseStored(current.Json.Span) is not Subscription subscription)
        {
            // Changed meanwhile: the new version has its own runner.
            return;
        }

        subscription.Status = Subscription.SubscriptionStatus.Error;
        subscription.Error = failure;
        var context = new FhirRequestContext(options.BaseUrl ?? string.Empty, Who: "openhip-subscriptions");
        try
        {
            await resources.UpdateAsync("Subscription", channel.SubscriptionId, subscription, subscriptionVersion, context, ct).ConfigureAwait(false);
            LogError(logger, channel.SubscriptionId, failure);
        }
        catch (Errors.FhirException ex) when (ex.Kind is Errors.FhirErrorKind.PreconditionFailed or Errors.FhirErrorKind.Conflict)
        {
            // Someone changed it in between; their version decides.
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Subscription {Subscription}: delivery failed; it will be tried again")]
    private static partial void LogFailed(ILogger logger, string subscription, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Subscription {Subscription}: attempt {Attempt} failed: {Failure}")]
    private static partial void LogAttemptFailed(ILogger logger, string subscription, int attempt, string failure);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Subscription {Subscription} set to error: {Failure}")]
    private static partial void LogError(ILogger logger, string subscription, string failure);
}
