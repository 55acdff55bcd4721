using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>
/// Notes, durably and once, where in the outbox each Subscription became active: its delivery stream starts right after
/// the write that activated it, so nothing written between that write and the first delivery is missed, and nothing
/// written before it is sent.
/// </summary>
internal sealed class SubscriptionActivations(IFhirStore store, SubscriptionSignal signal) : IOutboxConsumer
{
    public string Name => "subscription-activations";

    public static string StartKey(string subscriptionId) => "subscription-start:" + subscriptionId;

    public static string Format(OutboxPosition position) => string.Create(CultureInfo.InvariantCulture, $"{position.Commit}.{position.Sequence}");

    public static OutboxPosition? Parse(string? value) =>
        value?.Split('.') is [var commit, var sequence]
            && long.TryParse(commit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long c)
            && long.TryParse(sequence, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s)
            ? new OutboxPosition(c, s)
            : null;

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        bool any = false;
        OutboxEvent[] changes = [.. events.Where(e => e.Type == "Subscription" && e.Method != WriteMethod.Delete)];
        IReadOnlyDictionary<VersionKey, StoredResource> versions = await OutboxVersions.ReadAsync(store, changes, cancellationToken).ConfigureAwait(false);
        foreach (OutboxEvent change in changes)
        {
            StoredResource? version = versions.GetValueOrDefault(change.Version);
            if (version is null || version.IsDeleted || FhirCodec.ParseStored(version.Json.Span) is not Subscription { Status: Subscription.SubscriptionStatus.Active })
            {
                continue;
            }

            // Only the first activation counts: a subscription switched off and on again resumes where it stopped.
            if (await store.GetStateAsync(StartKey(change.Id), cancellationToken).ConfigureAwait(false) is null)
            {
                await store.SetStateAsync(StartKey(change.Id), Format(change.Position), cancellationToken).ConfigureAwait(false);
            }

            any = true;
        }

        if (any)
        {
            signal.Raise();
        }
    }
}
