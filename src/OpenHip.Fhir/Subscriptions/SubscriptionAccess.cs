using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>
/// A Subscription makes the server send every matching resource to its endpoint, whoever the resource belongs to, so
/// only a caller who may read every resource of the criteria's type unfiltered may write one; anyone else could use it
/// to read past their own access (a resident's token subscribing to all Observations).
/// </summary>
public static class SubscriptionAccess
{
    public static void Require(Subscription subscription, AccessPolicy access)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(access);
        string criteria = subscription.Criteria ?? string.Empty;
        int query = criteria.IndexOf('?', StringComparison.Ordinal);
        string type = query < 0 ? criteria : criteria[..query];
        if (type.Length > 0 && access.For(type, AccessRights.Read) is not { Allowed: true, Filter: null })
        {
            throw FhirException.Forbidden($"A Subscription to {type} sends every matching {type} to its endpoint: it needs read access on all of {type}, which {access} does not have");
        }
    }
}
