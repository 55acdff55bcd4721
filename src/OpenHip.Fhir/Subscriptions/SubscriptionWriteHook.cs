using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>
/// A Subscription is checked when it is written (422 and nothing stored when the server could not honour it), and one
/// asking to start (<c>requested</c>) is accepted at once: <c>active</c>. Committed ones wake the delivery service.
/// </summary>
internal sealed class SubscriptionWriteHook(IOptions<FhirEngineOptions> options, SearchRequestParser parser, SubscriptionSignal signal) : IResourceWriteHook
{
    public bool Inspects(string resourceType) => resourceType == "Subscription";

    public void OnWriting(Resource resource)
    {
        // One that is off or in error sends nothing, so it may name what is no longer allowed (the server itself
        // records an error that way when the allow-list changed).
        if (resource is not Subscription { Status: null or Subscription.SubscriptionStatus.Requested or Subscription.SubscriptionStatus.Active } subscription)
        {
            return;
        }

        RestHookChannel.Of(subscription, options.Value.Subscriptions, parser);
        if (subscription.Status is null or Subscription.SubscriptionStatus.Requested)
        {
            subscription.Status = Subscription.SubscriptionStatus.Active;
            subscription.Error = null;
        }
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
        if (writes.Any(w => w.Type == "Subscription"))
        {
            signal.Raise();
        }
    }
}
