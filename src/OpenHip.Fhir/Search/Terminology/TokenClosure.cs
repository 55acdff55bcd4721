using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Terminology;

/// <summary>Names shared by the indexer, the search and the stores for the <c>:below</c> closure rows.</summary>
public static class TokenClosure
{
    /// <summary>
    /// Closure rows are token rows of their own parameter, <c>code:below</c>, like <c>:of-type</c>: a plain token search
    /// on <c>code</c> never sees them, and no schema change was needed.
    /// </summary>
    public const string Suffix = ":below";

    /// <summary>The store setting listing (one per line) the systems whose closure records the maintainer looks after.</summary>
    public const string SystemsStateKey = "token-closure-systems";

    private const string StatePrefix = "token-closure:";

    /// <summary>
    /// The store setting holding the <see cref="CodeHierarchy.Fingerprint"/> that every current resource's closure rows of
    /// <paramref name="system"/> were written with; absent while they are being rebuilt or were never built.
    /// </summary>
    public static string StateKey(string system) => StatePrefix + system;

    /// <summary>Adds the closure rows of the coded tokens among <paramref name="entries"/> (the code itself and each ancestor).</summary>
    public static void AddRows(ICodeAncestry ancestry, ICollection<IndexEntry> entries)
    {
        List<TokenIndexEntry>? rows = null;
        foreach (IndexEntry entry in entries)
        {
            // Only a parameter's own tokens: :of-type and :below rows carry derived codes.
            if (entry is not TokenIndexEntry { System: { } system, Code: { } code } token || token.Parameter.Contains(':', StringComparison.Ordinal)
                || ancestry.Find(system) is not { } hierarchy)
            {
                continue;
            }

            rows ??= [];
            string parameter = token.Parameter + Suffix;
            rows.Add(new TokenIndexEntry(parameter, system, code));
            foreach (string ancestor in hierarchy.AncestorsOf(code))
            {
                rows.Add(new TokenIndexEntry(parameter, system, ancestor));
            }
        }

        if (rows is null)
        {
            return;
        }

        foreach (TokenIndexEntry row in rows)
        {
            entries.Add(row);
        }
    }
}
