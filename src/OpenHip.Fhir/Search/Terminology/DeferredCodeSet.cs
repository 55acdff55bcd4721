using System.Collections;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Terminology;

/// <summary>
/// A resolved code set computed on first use: a <c>:below</c> answered by the closure rows never needs its (possibly
/// 10,000-code) subtree walked, listed and bound, which cost more than the search itself.
/// </summary>
internal sealed class DeferredCodeSet(Func<IReadOnlyCollection<CodeToken>> resolve) : IReadOnlyCollection<CodeToken>
{
    private readonly Lazy<IReadOnlyCollection<CodeToken>> _tokens = new(resolve);

    public int Count => _tokens.Value.Count;

    public IEnumerator<CodeToken> GetEnumerator() => _tokens.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
