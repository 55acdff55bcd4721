using System.Text.Json;
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

    // lastUpdated as Firely writes it, for the JSON path; one per millisecond, so kept instead of formatted per resource.
    private volatile InstantText? _instant;

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

    /// <summary>
    /// A create straight from the resource's JSON as written (the bulk import), with the same version, meta, index entries
    /// and compartments <see cref="ForUpsert"/> gives. Null when the write needs the POCO: a write hook inspects the
    /// type, profiles are validated on write, or the request sets meta.source. The caller has checked the type and id.
    /// </summary>
    public ResourceWrite? ForJsonCreate(JsonElement resource, string type, string id, FhirRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (options.Value.ValidateProfilesOnWrite || context.Source is not null || _hooks.Any(h => h.Inspects(type))
            || ServerMetaJson.ReadSecurity(resource) is not { } security)
        {
            return null;
        }

        bool relabelled = false;
        foreach (IResourceWriteHook hook in _hooks)
        {
            relabelled |= hook.OnWritingJson(resource, type, security);
        }

        DateTimeOffset now = Now();
        byte[] json = ServerMetaJson.Write(resource, 1, LastUpdatedText(now), relabelled ? security : null);

        // Indexed as stored (the hooks' labels are searchable by _security), as ForUpsert indexes the changed POCO.
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement stored = document.RootElement;

        // Read back only if some parameter's expression or data is beyond the JSON walk; Ostrich mode, as stored JSON is read.
        Resource? poco = null;
        Resource Poco() => poco ??= FhirCodec.ParseStored(json);
        string? source = stored.TryGetProperty("meta"u8, out JsonElement meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("source"u8, out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return new ResourceWrite(
            type,
            id,
            1,
            0,
            now,
            WriteMethod.Create,
            json,
            source,
            options.Value.IndexTokens ? indexer.Extract(stored, type, Poco) : [],
            compartments.PatientsOf(stored, type, id, Poco));
    }

    public ResourceWrite ForDelete(string type, string id, long expectedCurrentVersion, FhirRequestContext context)
    {
        ResourceIds.EnsureWritableType(type);
        return new(type, id, expectedCurrentVersion + 1, expectedCurrentVersion, Now(), WriteMethod.Delete, ReadOnlyMemory<byte>.Empty, context.Source, [], []);
    }

    private string LastUpdatedText(DateTimeOffset now)
    {
        if (_instant is { } cached && cached.At == now)
        {
            return cached.Text;
        }

        using JsonDocument meta = JsonDocument.Parse(FhirCodec.ToJsonBytes(new Meta { LastUpdated = now }));
        string text = meta.RootElement.GetProperty("lastUpdated"u8).GetString()!;
        _instant = new InstantText(now, text);
        return text;
    }

    private sealed record InstantText(DateTimeOffset At, string Text);

    // FHIR instants travel with millisecond precision; truncating here makes stored, indexed and returned values agree.
    private DateTimeOffset Now()
    {
        DateTimeOffset now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
