namespace OpenHip.Fhir.Search.Terminology;

/// <summary>
/// The hierarchies of the code systems a terminology module knows, as the token index records them: each coded token
/// is also indexed under <c>parameter:below</c> for its code and every ancestor, so <c>:below</c> is one index range
/// like a plain token search instead of one seek per code of the subtree. The engine defines it and a terminology
/// module implements it; with none registered nothing extra is indexed and <c>:below</c> uses the resolved code set.
/// </summary>
public interface ICodeAncestry
{
    /// <summary>Raised after this node's terminology changed (its own writes and, through the change feed, every node's).</summary>
    event EventHandler? Changed;

    /// <summary>The hierarchy of a code system, or null when none is known (an unknown system, or no concept has a parent).</summary>
    /// <remarks>Called for every coded token written, so it answers from memory.</remarks>
    CodeHierarchy? Find(string system);

    /// <summary>Every code system with a hierarchy.</summary>
    IReadOnlyList<CodeHierarchy> All();
}
