namespace OpenHip.Fhir.Audit;

/// <summary>
/// How many writes of one request the engine has already recorded with their data, so the HTTP edge does not record
/// the same write a second time. One instance per request, shared by every <see cref="Requests.FhirRequestContext"/> of it.
/// </summary>
public sealed class AuditedWrites
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(int writes) => Interlocked.Add(ref _count, writes);
}
