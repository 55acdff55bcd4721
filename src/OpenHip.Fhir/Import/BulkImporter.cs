using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;

namespace OpenHip.Fhir.Import;

/// <summary>
/// <c>openhip import</c>: loads a folder of NDJSON and Bundle files through the store's bulk path. Resources keep their
/// ids (a Bundle entry without one takes its urn:uuid fullUrl's uuid, and references to fullUrls are rewritten), are
/// indexed like any write, and go in batches, each committed together with "file F done up to item N" — so a crashed
/// import run again resumes after the last committed batch, and a resource already stored is never written twice.
/// NDJSON resources go from their JSON straight to rows (<see cref="ResourceWriteFactory.ForJsonCreate"/>) after structural
/// checks only; <c>strict</c> parses each one into Firely's model first, as every other write does.
/// </summary>
public sealed class BulkImporter(IFhirStore store, ResourceWriteFactory writes)
{
    public const int DefaultBatchSize = 1_000;

    /// <summary>The durable-state key holding how many items of <paramref name="file"/> are imported.</summary>
    public static string ProgressKey(string file) => "import:" + Path.GetFullPath(file);

    /// <param name="progress">Told after each batch: file, items of it done, resources written so far.</param>
    public Task<ImportSummary> ImportAsync(string folder, int batchSize, Action<string, long, long>? progress, CancellationToken cancellationToken) =>
        ImportAsync(folder, batchSize, strict: false, progress, cancellationToken);

    /// <param name="strict">Parse and check every resource with Firely (as the REST API does) instead of structurally only.</param>
    /// <param name="progress">Told after each batch: file, items of it done, resources written so far.</param>
    public async Task<ImportSummary> ImportAsync(string folder, int batchSize, bool strict, Action<string, long, long>? progress, CancellationToken cancellationToken)
    {
        if (store is not IBulkLoader loader)
        {
            throw new InvalidOperationException($"{store.GetType().Name} has no bulk path");
        }

        var context = new FhirRequestContext("urn:openhip:import", Who: "openhip import");
        long written = 0;
        long skipped = 0;
        IReadOnlyList<string> files = ImportFiles.In(folder);
        await loader.BeginLoadAsync(files.Sum(f => new FileInfo(f).Length), cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadFilesAsync().ConfigureAwait(false);
        }
        catch
        {
            // A failed import (a bad line, a cancel) still leaves the store as a finished one would, e.g. its indexes built.
            await loader.EndLoadAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await loader.EndLoadAsync(cancellationToken).ConfigureAwait(false);
        return new ImportSummary(files.Count, written, skipped);

        async Task LoadFilesAsync()
        {
            // Batch k is written while batch k + 1 is parsed and indexed: the store's work and the CPU-bound preparation
            // overlap, and batches still commit one after another, in file order, so progress stays exact.
            Task pending = Task.CompletedTask;
            foreach (string file in files)
            {
                string key = ProgressKey(file);
                long done = long.TryParse(await store.GetStateAsync(key, cancellationToken).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture, out long d) ? d : 0;
                foreach (ImportItem[] batch in ImportFiles.Read(file, done).Chunk(batchSize))
                {
                    ResourceWrite[] creates;
                    try
                    {
                        creates = Prepare(batch, strict, context, cancellationToken);
                    }
                    catch
                    {
                        // The batch before the bad one still commits, so a rerun resumes right at the bad batch.
                        await pending.ConfigureAwait(false);
                        throw;
                    }

                    await pending.ConfigureAwait(false);
                    pending = LoadAsync(creates, file, key, batch[^1].Ordinal + 1);
                }
            }

            await pending.ConfigureAwait(false);
        }

        async Task LoadAsync(ResourceWrite[] creates, string file, string key, long through)
        {
            int loaded = await loader.LoadAsync(creates, key, through.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            written += loaded;
            skipped += creates.Length - loaded;
            progress?.Invoke(file, through, written);
        }
    }

    private ResourceWrite[] Prepare(ImportItem[] batch, bool strict, FhirRequestContext context, CancellationToken cancellationToken)
    {
        var creates = new ResourceWrite[batch.Length];
        try
        {
            Parallel.For(0, batch.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => creates[i] = (strict ? null : FromJson(batch[i], context)) ?? Prepare(batch[i], context));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<FhirException>().FirstOrDefault() is { } bad)
        {
            // The first bad item in the batch names the file and line; the batch is not written.
            throw bad;
        }

        return creates;
    }

    /// <summary>
    /// The JSON path: null when the resource needs the POCO one (Bundle entries, whose references are rewritten; types a
    /// write hook inspects). Checks that it is a JSON object with a known, writable resourceType, a valid id and, if any,
    /// an object for meta; its content is stored as written.
    /// </summary>
    private ResourceWrite? FromJson(ImportItem item, FhirRequestContext context)
    {
        if (item.References is { Count: > 0 } || item.Id is not null)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(item.Json, new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (JsonException ex)
        {
            throw FhirException.BadRequest($"{item.Location}: not JSON ({ex.Message})");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType"u8, out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                throw FhirException.BadRequest($"{item.Location}: not a FHIR resource (no resourceType)");
            }

            string type = typeElement.GetString()!;
            if (!root.TryGetProperty("id"u8, out JsonElement idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                throw FhirException.BadRequest($"{item.Location}: a {type} without an id (import keeps ids; give one, or a urn:uuid fullUrl in a Bundle)");
            }

            string id = idElement.GetString()!;
            try
            {
                ResourceIds.EnsureKnownType(type);
                ResourceIds.EnsureWritableType(type);
                ResourceIds.EnsureValidId(id);
            }
            catch (FhirException ex)
            {
                throw At(item, ex);
            }

            if (root.TryGetProperty("meta"u8, out JsonElement meta) && meta.ValueKind != JsonValueKind.Object)
            {
                throw FhirException.BadRequest($"{item.Location}: meta is not an object");
            }

            try
            {
                return writes.ForJsonCreate(root, type, id, context);
            }
            catch (FhirException ex)
            {
                // A write hook refused it (a code outside a required binding): named by file and line as a bad line is.
                throw At(item, ex);
            }
        }
    }

    private static FhirException At(ImportItem item, FhirException ex) =>
        new(ex.Kind, [.. ex.Issues.Select(i => i with { Diagnostics = $"{item.Location}: {i.Diagnostics}" })]);

    private ResourceWrite Prepare(ImportItem item, FhirRequestContext context)
    {
        Resource resource;
        try
        {
            resource = FhirCodec.ParseJson(item.Json.Span);
        }
        catch (FhirException ex)
        {
            throw At(item, ex);
        }

        string id = item.Id ?? resource.Id ?? throw FhirException.BadRequest($"{item.Location}: a {resource.TypeName} without an id (import keeps ids; give one, or a urn:uuid fullUrl in a Bundle)");
        ResourceIds.EnsureKnownType(resource.TypeName);
        ResourceIds.EnsureValidId(id);
        if (item.References is { Count: > 0 } references)
        {
            ReferenceRewriter.Rewrite(resource, reference => references.GetValueOrDefault(reference));
        }

        return writes.ForUpsert(resource, id, 0, WriteMethod.Create, context);
    }
}

/// <param name="Skipped">Resources already in the store (an earlier or interrupted run of the same import).</param>
public sealed record ImportSummary(int Files, long Written, long Skipped);
