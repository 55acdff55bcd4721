using System.Reflection;
using System.Runtime.ExceptionServices;
using OpenHip.Fhir.Storage;

namespace OpenHip.Conformance.Tests.Resources;

/// <summary>
/// A server's store seen through a proxy that counts the lookups of conditional interactions:
/// <see cref="IFhirStore.FindByTokensAsync"/>, and <see cref="IFhirStore.SearchAsync"/> for a caller whose access is filtered;
/// and the commits tried through it.
/// </summary>
// DispatchProxy derives a type from this one at run time, so it can be neither sealed nor without a public constructor.
#pragma warning disable CA1852 // Seal internal types: DispatchProxy.Create derives from it.
internal class LookupCountingStore : DispatchProxy
#pragma warning restore CA1852
{
    private IFhirStore _inner = null!;
    private int _lookups;
    private int _commits;

    public int Lookups => Volatile.Read(ref _lookups);

    public int Commits => Volatile.Read(ref _commits);

    public static (IFhirStore Store, LookupCountingStore Counter) Wrap(IFhirStore inner)
    {
        IFhirStore store = Create<IFhirStore, LookupCountingStore>();
        var counter = (LookupCountingStore)(object)store;
        counter._inner = inner;
        return (store, counter);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name is nameof(IFhirStore.FindByTokensAsync) or nameof(IFhirStore.SearchAsync))
        {
            Interlocked.Increment(ref _lookups);
        }
        else if (targetMethod.Name == nameof(IFhirStore.CommitAsync))
        {
            Interlocked.Increment(ref _commits);
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
