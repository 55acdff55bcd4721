using System.Text;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// The folded names of every entry of an expansion laid end to end in one string, so the <c>$expand</c> text filter is
/// one vectorised <see cref="string.IndexOf(string, int, StringComparison)"/> scan over the whole expansion instead of
/// a search per entry: a hit is mapped to its entry by binary search, the entry's other terms are checked, and the scan
/// goes on from the next entry. Built once per expansion, on the first filtered request.
/// </summary>
internal sealed class ExpansionTextIndex
{
    // Never produced by folding, so a term cannot match across two entries.
    private const char Separator = '\u0001';

    private readonly string _text;
    private readonly int[] _starts;
    private readonly IReadOnlyList<ExpansionEntry> _entries;

    public ExpansionTextIndex(IReadOnlyList<ExpansionEntry> entries)
    {
        _entries = entries;
        _starts = new int[entries.Count + 1];
        var builder = new StringBuilder();
        for (int i = 0; i < entries.Count; i++)
        {
            _starts[i] = builder.Length;
            builder.Append(entries[i].SearchText.Replace(Separator, ' ')).Append(Separator);
        }

        _starts[entries.Count] = builder.Length;
        _text = builder.ToString();
    }

    /// <summary>Indexes of the entries whose names contain every term, in expansion order.</summary>
    public IEnumerable<int> Matching(string[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Length == 0)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                yield return i;
            }

            yield break;
        }

        // The longest term is the rarest as a rule: it drives the scan, the others are checked per hit.
        string driver = terms.MaxBy(t => t.Length)!;
        int position = 0;
        while (position < _text.Length)
        {
            int hit = _text.IndexOf(driver, position, StringComparison.Ordinal);
            if (hit < 0)
            {
                yield break;
            }

            int entry = Array.BinarySearch(_starts, hit);
            entry = entry >= 0 ? entry : ~entry - 1;
            if (terms.Length == 1 || SearchText.Matches(_entries[entry].SearchText, terms))
            {
                yield return entry;
            }

            position = _starts[entry + 1];
        }
    }
}
