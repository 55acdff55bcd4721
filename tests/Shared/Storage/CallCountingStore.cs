using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using OpenHip.Fhir.Storage;

namespace OpenHip.Testing;

/// <summary>
/// A store seen through a proxy that counts the calls made through it, so that a test can see how a component uses
/// its store: that an outbox reader reads a page's versions in one call rather than one per event, or how many lookups
/// and commits a conditional interaction makes.
/// </summary>
// DispatchProxy derives a type from this one at run time, so it can be neither sealed nor without a public constructor.
#pragma warning disable CA1852 // Seal internal types: DispatchProxy.Create derives from it.
internal class CallCountingStore : DispatchProxy
#pragma warning restore CA1852
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private IFhirStore _inner = null!;
    private int _batchKeys;

    /// <summary>Reads of one resource: ReadVersionAsync and ReadCurrentAsync.</summary>
    public int SingleReads => Calls(nameof(IFhirStore.ReadVersionAsync)) + Calls(nameof(IFhirStore.ReadCurrentAsync));

    /// <summary>Calls of ReadVersionsAsync.</summary>
    public int BatchReads => Calls(nameof(IFhirStore.ReadVersionsAsync));

    /// <summary>Keys asked for over every ReadVersionsAsync call.</summary>
    public int BatchKeys => Volatile.Read(ref _batchKeys);

    /// <summary>The lookups of conditional interactions: FindByTokensAsync, and SearchAsync for a caller whose access is filtered.</summary>
    public int Lookups => Calls(nameof(IFhirStore.FindByTokensAsync)) + Calls(nameof(IFhirStore.SearchAsync));

    public int Commits => Calls(nameof(IFhirStore.CommitAsync));

    public static (IFhirStore Store, CallCountingStore Counter) Wrap(IFhirStore inner)
    {
        IFhirStore store = Create<IFhirStore, CallCountingStore>();
        var counter = (CallCountingStore)(object)store;
        counter._inner = inner;
        return (store, counter);
    }

    public void Reset()
    {
        _calls.Clear();
        Volatile.Write(ref _batchKeys, 0);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        _calls.AddOrUpdate(targetMethod.Name, 1, (_, count) => count + 1);
        if (targetMethod.Name == nameof(IFhirStore.ReadVersionsAsync))
        {
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

    private int Calls(string method) => _calls.GetValueOrDefault(method);
}
