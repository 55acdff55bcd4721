using System.ComponentModel.DataAnnotations;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>R4 Subscription delivery, bound from "Fhir:Subscriptions".</summary>
public sealed class SubscriptionOptions
{
    /// <summary>
    /// The only endpoints notifications may go to: absolute URL prefixes (scheme, host and port must match exactly; the
    /// path must start with the prefix's). Empty by default: the server makes no outgoing request nobody allowed.
    /// </summary>
    public IList<string> AllowedEndpoints { get; } = [];

    /// <summary>Attempts of one notification before the subscription is set to <c>error</c> (its position stays, nothing is skipped).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the first retry; each further retry waits twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one notification request may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
