using System.Runtime.CompilerServices;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.MatchPatient;

/// <summary>An in-memory store of current Patients: only the streaming read that $match uses is implemented.</summary>
internal sealed class PatientStore : IFhirStore
{
    private readonly List<StoredResource> _patients = [];

    public string Add(Patient patient)
    {
        string id = $"p{_patients.Count + 1}";
        patient.Id = id;
        _patients.Add(new StoredResource("Patient", id, 1, DateTimeOffset.UnixEpoch, false, WriteMethod.Create, FhirCodec.ToJsonBytes(patient)));
        return id;
    }

    public async IAsyncEnumerable<StoredResource> StreamCurrentAsync(string type, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (StoredResource r in _patients.Where(p => p.Type == type))
        {
            yield return r;
        }
    }

    public Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<HistoryPage> ReadHistoryAsync(HistoryQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> FindByTokensAsync(TokenQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> ReplaceIndexAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetStateAsync(string key, string? value, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<OutboxEvent>> ReadOutboxAsync(OutboxPosition after, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<OutboxPosition> ReadOutboxHeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IOutboxLease?> TryLeaseAsync(string consumer, CancellationToken cancellationToken) => throw new NotSupportedException();
}
