using System.Reflection;
using System.Runtime.ExceptionServices;
using OpenHip.Fhir.Storage;

namespace OpenHip.Testing;

/// <summary>
/// A store seen through a proxy that counts its reads of single resources: <see cref="IFhirStore.ReadVersionAsync"/>,
/// <see cref="IFhirStore.ReadCurrentAsync"/> and the batched <see cref="IFhirStore.ReadVersionsAsync"/>. Lets a test see
/// that an outbox reader reads a page's versions in one call rather than one call per event.
/// </summary>
// DispatchProxy derives a type from this one at run time, so it can be neither sealed nor without a public constructor.
#pragma warning disable CA1852 // Seal internal types: DispatchProxy.Create derives from it.
internal class VersionReadCountingStore : DispatchProxy
#pragma warning restore CA1852
{
    private IFhirStore _inner = null!;
    private int _singleReads;
    private int _batchReads;
    private int _batchKeys;

    /// <summary>Calls of ReadVersionAsync and ReadCurrentAsync.</summary>
    public int SingleReads => Volatile.Read(ref _singleReads);

    /// <summary>Calls of ReadVersionsAsync.</summary>
    public int BatchReads => Volatile.Read(ref _batchReads);

    /// <summary>Keys asked for over every ReadVersionsAsync call.</summary>
    public int BatchKeys => Volatile.Read(ref _batchKeys);

    public static (IFhirStore Store, VersionReadCountingStore Counter) Wrap(IFhirStore inner)
    {
        IFhirStore store = Create<IFhirStore, VersionReadCountingStore>();
        var counter = (VersionReadCountingStore)(object)store;
        counter._inner = inner;
        return (store, counter);
    }

    public void Reset()
    {
        Volatile.Write(ref _singleReads, 0);
        Volatile.Write(ref _batchReads, 0);
        Volatile.Write(ref _batchKeys, 0);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name is nameof(IFhirStore.ReadVersionAsync) or nameof(IFhirStore.ReadCurrentAsync))
        {
            Interlocked.Increment(ref _singleReads);
        }
        else if (targetMethod.Name == nameof(IFhirStore.ReadVersionsAsync))
        {
            Interlocked.Increment(ref _batchReads);
            Interlocked.Add(ref _batchKeys, ((IReadOnlyList<VersionKey>)args![0]!).Count);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
