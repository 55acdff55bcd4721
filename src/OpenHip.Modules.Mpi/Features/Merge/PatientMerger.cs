using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;
using OpenHip.Modules.Mpi.Features.Linking;

using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Features.Merge;

/// <summary>
/// Merges a source Patient into a target (R5 <c>Patient/$merge</c> semantics) and undoes a merge exactly. A merge is one
/// transaction through the engine's write path: the source becomes inactive with a <c>replaced-by</c> link, the target
/// (or the given result) gains a <c>replaces</c> link and, without a result, the source's identifiers as <c>old</c>;
/// both Patients end in one golden Person (level4 links); a Provenance records every version replaced and written
/// (<see cref="MergeRecord"/>). The undo is one transaction too: replaced versions come back as they were (meta.source
/// included), what the merge created goes, and the Provenance goes — only history remembers the merge.
/// </summary>
internal sealed class PatientMerger(IFhirStore store, GoldenPersons persons, TransactionProcessor transactions, TimeProvider time)
{
    public sealed record MergeResult(Patient Target, string? ProvenanceId);

    public async Task<MergeResult> MergeAsync(string sourceId, string targetId, Patient? result, bool preview, FhirRequestContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (sourceId == targetId)
        {
            throw FhirException.BadRequest("source-patient and target-patient are the same Patient", "source-patient");
        }

        StoredResource source = await ReadPatientAsync(sourceId, "source-patient", ct).ConfigureAwait(false);
        StoredResource target = await ReadPatientAsync(targetId, "target-patient", ct).ConfigureAwait(false);
        var oldSource = (Patient)FhirCodec.ParseStored(source.Json.Span);
        var oldTarget = (Patient)FhirCodec.ParseStored(target.Json.Span);
        if (oldSource.Link.Any(l => l.Type == Patient.LinkType.ReplacedBy))
        {
            throw FhirException.Unprocessable($"Patient/{sourceId} was already merged into another Patient");
        }

        if (result is not null && result.Id != targetId)
        {
            throw FhirException.BadRequest("result-patient.id must be the target Patient's id", "result-patient");
        }

        Patient newTarget = result is not null ? (Patient)result.DeepCopy() : (Patient)oldTarget.DeepCopy();
        newTarget.Id = targetId;
        if (result is null)
        {
            foreach (Identifier identifier in oldSource.Identifier.Where(i => !oldTarget.Identifier.Any(t => t.System == i.System && t.Value == i.Value)))
            {
                var old = (Identifier)identifier.DeepCopy();
                old.Use = Identifier.IdentifierUse.Old;
                newTarget.Identifier.Add(old);
            }
        }

        if (!newTarget.Link.Any(l => l.Other?.Reference == GoldenPersons.PatientPrefix + sourceId))
        {
            newTarget.Link.Add(new Patient.LinkComponent { Other = new ResourceReference(GoldenPersons.PatientPrefix + sourceId), Type = Patient.LinkType.Replaces });
        }

        var newSource = (Patient)oldSource.DeepCopy();
        newSource.Active = false;
        newSource.Link.Add(new Patient.LinkComponent { Other = new ResourceReference(GoldenPersons.PatientPrefix + targetId), Type = Patient.LinkType.ReplacedBy });
        if (preview)
        {
            return new MergeResult(newTarget, null);
        }

        DateTimeOffset now = time.GetUtcNow();
        var pending = new Dictionary<string, MemberPatient>(StringComparer.Ordinal)
        {
            [sourceId] = new MemberPatient(newSource, now),
            [targetId] = new MemberPatient(newTarget, now),
        };
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        var provenance = new Provenance
        {
            Recorded = now,
            Activity = new CodeableConcept(MergeRecord.LifecycleSystem, MergeRecord.MergeCode, "Merge"),
            Agent = [new Provenance.AgentComponent { Who = new ResourceReference { Display = context.Who ?? "anonymous" } }],
            Meta = new Meta { Source = persons.Writer.Source },
        };
        Put(bundle, newSource, source.VersionId, provenance);
        Put(bundle, newTarget, target.VersionId, provenance);

        GoldenPersons.JoinPlan? plan = await persons.PlanJoinAsync(sourceId, targetId, ct).ConfigureAwait(false);
        if (plan is null)
        {
            GoldenPersons.Golden shared = (await persons.OfPatientAsync(targetId, ct).ConfigureAwait(false))[0];
            await persons.ComposeAsync(shared.Person, pending, ct).ConfigureAwait(false);
            Put(bundle, shared.Person, shared.Version, provenance);
        }
        else
        {
            await persons.ComposeAsync(plan.Result, pending, ct).ConfigureAwait(false);
            if (plan.Kept is null)
            {
                string fullUrl = "urn:uuid:" + Guid.NewGuid().ToString();
                bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = fullUrl, Resource = plan.Result, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Person" } });
                provenance.Target.Add(new ResourceReference(fullUrl));
            }
            else
            {
                Put(bundle, plan.Result, plan.Kept.Version, provenance);
            }

            if (plan.Emptied is not null)
            {
                Person gone = plan.Emptied.Person;
                bundle.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.DELETE, Url = $"Person/{gone.Id}", IfMatch = ETag(plan.Emptied.Version) } });
                provenance.Entity.Add(Revision($"Person/{gone.Id}/_history/{plan.Emptied.Version}"));
            }
        }

        bundle.Entry.Add(new Bundle.EntryComponent { Resource = provenance, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Provenance" } });
        ResponseBundle response = await transactions.ProcessAsync(bundle, context, returnRepresentation: false, ct).ConfigureAwait(false);
        string? provenanceId = response.Entries[^1].Location is { } location ? MergeRecord.Parse(location).Id : null;
        return new MergeResult(newTarget, provenanceId);
    }

    public async Task UnmergeAsync(string provenanceId, FhirRequestContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        StoredResource? stored = await store.ReadCurrentAsync("Provenance", provenanceId, ct).ConfigureAwait(false);
        if (stored is null || stored.IsDeleted || FhirCodec.ParseStored(stored.Json.Span) is not Provenance record || !MergeRecord.IsMerge(record))
        {
            throw FhirException.NotFound($"Provenance/{provenanceId} is not a merge record");
        }

        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        var restored = new HashSet<(string, string)>();
        foreach (Provenance.EntityComponent entity in record.Entity.Where(e => e.What?.Reference is not null))
        {
            (string type, string id, long? version) = MergeRecord.Parse(entity.What.Reference!);
            StoredResource prior = await store.ReadVersionAsync(type, id, version ?? 0, ct).ConfigureAwait(false)
                ?? throw FhirException.Unprocessable($"{entity.What.Reference} is no longer stored; the merge cannot be undone exactly");
            StoredResource? current = await store.ReadCurrentAsync(type, id, ct).ConfigureAwait(false);
            Resource content = FhirCodec.ParseStored(prior.Json.Span);
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                Resource = content,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{type}/{id}", IfMatch = current is { IsDeleted: false } ? ETag(current.VersionId) : null },
            });
            restored.Add((type, id));
        }

        foreach (ResourceReference written in record.Target)
        {
            (string type, string id, long? version) = MergeRecord.Parse(written.Reference ?? string.Empty);
            StoredResource? current = await store.ReadCurrentAsync(type, id, ct).ConfigureAwait(false);
            if (type == "Patient" && current?.VersionId != version)
            {
                throw FhirException.Conflict($"{type}/{id} changed after the merge; an exact undo would lose that change");
            }

            if (!restored.Contains((type, id)) && current is { IsDeleted: false })
            {
                bundle.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.DELETE, Url = $"{type}/{id}", IfMatch = ETag(current.VersionId) } });
            }
        }

        bundle.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.DELETE, Url = $"Provenance/{provenanceId}", IfMatch = ETag(stored.VersionId) } });

        // The restored versions keep the meta.source they had: an exact undo does not re-attribute them.
        await transactions.ProcessAsync(bundle, context with { Source = null }, returnRepresentation: false, ct).ConfigureAwait(false);
    }

    private async Task<StoredResource> ReadPatientAsync(string id, string parameter, CancellationToken ct)
    {
        StoredResource? stored = await store.ReadCurrentAsync("Patient", id, ct).ConfigureAwait(false);
        return stored is { IsDeleted: false } ? stored : throw new FhirException(FhirErrorKind.NotFound, new FhirIssue(OperationOutcome.IssueType.NotFound, $"{parameter} Patient/{id} is not known", parameter));
    }

    /// <summary>A PUT pinned to the version read; the merge record names the replaced version and the one to come.</summary>
    private static void Put(Bundle bundle, Resource resource, long version, Provenance provenance)
    {
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = resource,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}", IfMatch = ETag(version) },
        });
        provenance.Target.Add(new ResourceReference($"{resource.TypeName}/{resource.Id}/_history/{(version + 1).ToString(CultureInfo.InvariantCulture)}"));
        provenance.Entity.Add(Revision($"{resource.TypeName}/{resource.Id}/_history/{version.ToString(CultureInfo.InvariantCulture)}"));
    }

    private static Provenance.EntityComponent Revision(string reference) =>
        new() { Role = Provenance.ProvenanceEntityRole.Revision, What = new ResourceReference(reference) };

    private static string ETag(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
