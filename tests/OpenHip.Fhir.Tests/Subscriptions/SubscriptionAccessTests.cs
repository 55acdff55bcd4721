using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Subscriptions;
using Xunit;

namespace OpenHip.Fhir.Tests.Subscriptions;

public sealed class SubscriptionAccessTests
{
    private static readonly Subscription ToObservations = new() { Criteria = "Observation?status=final" };

    [Fact]
    public void CallerWhoReadsEveryObservation_MaySubscribe()
    {
        var access = new AccessPolicy("backend", [new AccessRule("Subscription", AccessRights.All), new AccessRule("Observation", AccessRights.Read | AccessRights.Search)]);

        SubscriptionAccess.Require(ToObservations, access);
    }

    [Fact]
    public void CallerWhoReadsOnlySomeObservations_IsRefused()
    {
        var access = new AccessPolicy("lab-app", [new AccessRule("Subscription", AccessRights.All), new AccessRule("Observation", AccessRights.Read, new CompartmentExpression("p1"))]);

        FhirException refused = Assert.Throws<FhirException>(() => SubscriptionAccess.Require(ToObservations, access));

        Assert.Equal(FhirErrorKind.Forbidden, refused.Kind);
        Assert.Contains("read access on all of Observation", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallerWithoutReadOnTheType_IsRefused()
    {
        var access = new AccessPolicy("writer", [new AccessRule("Subscription", AccessRights.All)]);

        Assert.Throws<FhirException>(() => SubscriptionAccess.Require(ToObservations, access));
    }
}
