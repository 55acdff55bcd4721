using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Terminology;

/// <summary>
/// Turns a terminology-dependent token criterion (<c>:in</c>, <c>:not-in</c>, <c>:below</c>, <c>:above</c>) into the
/// codes it stands for, so the store only ever compares (system, code) pairs. The engine defines it and a terminology
/// module implements it; with none registered the parser keeps declining those modifiers.
/// </summary>
public interface ITokenSetResolver
{
    /// <summary>
    /// The codes the criterion covers; throws a <see cref="Errors.FhirException"/> when the value set or code system
    /// is unknown (404) or the value cannot be used (400).
    /// </summary>
    /// <remarks>Called while parsing a search, so it answers from compiled, in-memory structures without I/O.</remarks>
    IReadOnlyCollection<CodeToken> Resolve(TokenSetRequest request);
}
