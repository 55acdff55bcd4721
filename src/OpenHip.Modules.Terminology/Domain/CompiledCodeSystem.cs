using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// A CodeSystem's content as lookup structures: the concept table, a code index, and the is-a closure (each concept's
/// ancestors, sorted) so subsumption is a binary search and <c>:below</c> a walk down the children. Immutable once built.
/// </summary>
internal sealed class CompiledCodeSystem
{
    // Past this many closure entries (a very deep hierarchy) ancestors are walked on demand instead of stored.
    private const long MaxClosureEntries = 8_000_000;

    private readonly FrozenDictionary<string, int> _byCode;
    private readonly int[][]? _ancestors;
    private readonly Lazy<string> _fingerprint;

    public CompiledCodeSystem(CodeSystemHeader header, IReadOnlyList<Concept> concepts, IReadOnlyList<int> topologicalOrder)
    {
        Header = header;
        Concepts = concepts;
        StringComparer comparer = header.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        _byCode = concepts.ToFrozenDictionary(c => c.Code, c => c.Index, comparer);
        _ancestors = BuildClosure(concepts, topologicalOrder);
        HasHierarchy = concepts.Any(c => c.Parents.Count > 0);
        _fingerprint = new Lazy<string>(Fingerprint);
    }

    /// <summary>True when some concept has a parent (only then can <c>:below</c> cover more than the code itself).</summary>
    public bool HasHierarchy { get; }

    /// <summary>A digest of every concept's parents (and of case sensitivity, which decides how codes match): equal digests, equal hierarchies.</summary>
    public string HierarchyFingerprint => _fingerprint.Value;

    public CodeSystemHeader Header { get; }

    public string Url => Header.Url;

    public string? Version => Header.Version;

    public IReadOnlyList<Concept> Concepts { get; }

    public Concept? Find(string code) => _byCode.TryGetValue(code, out int index) ? Concepts[index] : null;

    /// <summary>True when <paramref name="ancestor"/> is a proper ancestor of <paramref name="concept"/>.</summary>
    public bool IsProperAncestor(Concept ancestor, Concept concept)
    {
        if (_ancestors is not null)
        {
            return Array.BinarySearch(_ancestors[concept.Index], ancestor.Index) >= 0;
        }

        return AncestorsOf(concept).Any(a => a == ancestor.Index);
    }

    /// <summary>The concept's proper ancestors (each once).</summary>
    public IEnumerable<int> AncestorsOf(Concept concept)
    {
        if (_ancestors is not null)
        {
            return _ancestors[concept.Index];
        }

        return Walk(concept, c => c.Parents);
    }

    /// <summary>The concept's proper descendants (each once), nearest first.</summary>
    public IEnumerable<int> DescendantsOf(Concept concept) => Walk(concept, c => c.Children);

    private IEnumerable<int> Walk(Concept start, Func<Concept, List<int>> next)
    {
        var seen = new HashSet<int>();
        var queue = new Queue<int>(next(start));
        while (queue.TryDequeue(out int index))
        {
            if (!seen.Add(index))
            {
                continue;
            }

            yield return index;
            foreach (int n in next(Concepts[index]))
            {
                queue.Enqueue(n);
            }
        }
    }

    private string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder(Header.CaseSensitive ? "cs\n" : "ci\n");
        foreach (Concept concept in Concepts.Where(c => c.Parents.Count > 0))
        {
            text.Append(concept.Code);
            foreach (string parent in concept.Parents.Select(p => Concepts[p].Code).Order(StringComparer.Ordinal))
            {
                text.Append('\t').Append(parent);
            }

            text.Append('\n');
            if (text.Length > 64 * 1024)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
                text.Clear();
            }
        }

        hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.GetHashAndReset(), 0, 16);
    }

    // Parents come before children in the topological order, so one pass unions each parent's finished closure.
    private static int[][]? BuildClosure(IReadOnlyList<Concept> concepts, IReadOnlyList<int> order)
    {
        var closure = new int[concepts.Count][];
        long total = 0;
        foreach (int index in order)
        {
            Concept concept = concepts[index];
            if (concept.Parents.Count == 0)
            {
                closure[index] = [];
                continue;
            }

            if (concept.Parents.Count == 1)
            {
                int parent = concept.Parents[0];
                int[] inherited = closure[parent];
                int[] own = new int[inherited.Length + 1];
                int at = Array.BinarySearch(inherited, parent);
                int insert = ~at;
                Array.Copy(inherited, own, insert);
                own[insert] = parent;
                Array.Copy(inherited, insert, own, insert + 1, inherited.Length - insert);
                closure[index] = own;
            }
            else
            {
                var set = new SortedSet<int>();
                foreach (int parent in concept.Parents)
                {
                    set.Add(parent);
                    set.UnionWith(closure[parent]);
                }

                closure[index] = [.. set];
            }

            total += closure[index].Length;
            if (total > MaxClosureEntries)
            {
                return null;
            }
        }

        return closure;
    }
}
