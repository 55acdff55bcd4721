using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Validation;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// Turns a resource into the row the store appends: the server owns meta.versionId and meta.lastUpdated,
/// records the submitting institution in meta.source, and extracts index entries from the same instance.
/// Every write path (REST, batch, transaction, patch) comes through here, so this is where profile validation and the
/// write hooks run.
/// </summary>
public sealed class ResourceWriteFactory(
    SearchIndexer indexer,
    CompartmentIndexer compartments,
    IEnumerable<IResourceWriteHook> hooks,
    TimeProvider time,
    IOptions<FhirEngineOptions> options)
{
    private readonly IResourceWriteHook[] _hooks = [.. hooks];

    public ResourceWrite ForUpsert(Resource resource, string id, long expectedCurrentVersion, WriteMethod method, FhirRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ResourceIds.EnsureWritableType(resource.TypeName);
        if (options.Value.ValidateProfilesOnWrite)
        {
            ProfileValidator.Shared.Validate(resource).ThrowIfInvalid();
        }

        resource.Id = id;
        resource.Meta ??= new Meta();
        long version = expectedCurrentVersion + 1;
        DateTimeOffset now = Now();
        resource.Meta.VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = now;

        // An authenticated client's institution always wins; with auth off the client's own claim stands.
        if (context.Source is not null)
        {
            resource.Meta.Source = context.Source;
        }

        if (resource is Subscription subscription)
        {
            Subscriptions.SubscriptionAccess.Require(subscription, context.Access);
        }

        foreach (IResourceWriteHook hook in _hooks)
        {
            hook.OnWriting(resource);
        }

        return new ResourceWrite(
            resource.TypeName,
            id,
            version,
            expectedCurrentVersion,
            now,
            method,
            FhirCodec.ToJsonBytes(resource),
            resource.Meta.Source,
            options.Value.IndexTokens ? indexer.Extract(resource) : [],
            compartments.PatientsOf(resource));
    }

    public ResourceWrite ForDelete(string type, string id, long expectedCurrentVersion, FhirRequestContext context)
    {
        ResourceIds.EnsureWritableType(type);
        return new(type, id, expectedCurrentVersion + 1, expectedCurrentVersion, Now(), WriteMethod.Delete, ReadOnlyMemory<byte>.Empty, context.Source, [], []);
    }

    // FHIR instants travel with millisecond precision; truncating here makes stored, indexed and returned values agree.
    private DateTimeOffset Now()
    {
        DateTimeOffset now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
