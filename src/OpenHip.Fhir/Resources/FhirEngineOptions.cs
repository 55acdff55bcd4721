using System.ComponentModel.DataAnnotations;

namespace OpenHip.Fhir.Resources;

/// <summary>Engine behaviour settings, bound from the "Fhir" configuration section.</summary>
public sealed class FhirEngineOptions
{
    public const string SectionName = "Fhir";

    /// <summary>How often a write without If-Match is re-planned after losing a race to a concurrent writer.</summary>
    [Range(0, 20)]
    public int MaxWriteRetries { get; set; } = 5;

    /// <summary>
    /// How often outbox readers look for other nodes' commits (this node's own commits wake them at once). Bounds how
    /// soon a SearchParameter created on one node is active on the others.
    /// </summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Outbox events handed to a consumer or observer at once.</summary>
    [Range(1, 10_000)]
    public int OutboxBatchSize { get; set; } = 256;

    /// <summary>Empty polls after which a node lets go of a consumer's lease (and takes it again unless another node did).</summary>
    [Range(1, 1_000)]
    public int OutboxLeaseIdleRounds { get; set; } = 20;

    /// <summary>Bundles with more entries are refused (413) before they are fully parsed.</summary>
    [Range(1, 1_000_000)]
    public int MaxBundleEntries { get; set; } = 10_000;

    /// <summary>Conditional delete removes at most this many matches in one request (CapabilityStatement: multiple).</summary>
    [Range(1, 10_000)]
    public int MaxConditionalDeletes { get; set; } = 100;

    /// <summary>Also validate every write against the R4 base profiles (invariants, bindings); strict parsing always runs.</summary>
    public bool ValidateProfilesOnWrite { get; set; }

    /// <summary>
    /// Search index extraction on write (every parameter type; the name is older than that). Only for measuring its
    /// cost: with it off, searches, conditional operations and conditional references find nothing.
    /// </summary>
    public bool IndexTokens { get; set; } = true;

    /// <summary>
    /// This server's public FHIR base (the composition root copies <c>Api:BaseUrl</c>): an absolute reference on it is
    /// the same as the relative one, in the index and in search values.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The region time zone (IANA id): date search values and stored dates without a zone are read in it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    [Range(1, 1000)]
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>R4 Subscription delivery ("Fhir:Subscriptions"): the endpoint allow-list and the retry schedule.</summary>
    public Subscriptions.SubscriptionOptions Subscriptions { get; set; } = new();

    [Range(1, 5000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>At most this many resources are added to one search page by _include/_revinclude (a warning says so).</summary>
    [Range(1, 100_000)]
    public int MaxIncludedResources { get; set; } = 1000;

    /// <summary>How many rounds of _include:iterate / _revinclude:iterate run on one page.</summary>
    [Range(1, 10)]
    public int MaxIncludeIterations { get; set; } = 4;

    /// <summary>Searches with more parameters are refused (400): each criterion costs a join or an index probe.</summary>
    [Range(1, 1000)]
    public int MaxSearchParameters { get; set; } = 100;

    /// <summary>At most this many comma-separated values in one search parameter.</summary>
    [Range(1, 1000)]
    public int MaxSearchOrValues { get; set; } = 20;

    /// <summary>How many chain (<c>a.b.c</c>) and <c>_has</c> links one parameter may follow; each is a join.</summary>
    [Range(1, 10)]
    public int MaxSearchChainDepth { get; set; } = 4;

    /// <summary>Longer search parameter names or values are refused (400).</summary>
    [Range(64, 100_000)]
    public int MaxSearchValueLength { get; set; } = 2048;
}
