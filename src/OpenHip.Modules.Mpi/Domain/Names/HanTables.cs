using System.Reflection;
using System.Text;

namespace OpenHip.Modules.Mpi.Domain.Names;

/// <summary>
/// The Unihan-derived tables (see Tables/tools/derive_unihan.py): simplified folding and every Mandarin reading
/// of each CJK Unified Ideograph. Loaded once from the embedded resources; read-only afterwards, so shared freely.
/// </summary>
internal sealed class HanTables
{
    private static readonly Lazy<HanTables> Instance = new(Load);

    private readonly Dictionary<int, int> _fold;
    private readonly Dictionary<int, string[]> _readings;
    private readonly Dictionary<string, string[]> _surnames;

    private HanTables(Dictionary<int, int> fold, Dictionary<int, string[]> readings, Dictionary<string, string[]> surnames)
    {
        _fold = fold;
        _readings = readings;
        _surnames = surnames;
    }

    public static HanTables Shared => Instance.Value;

    public int FoldedCount => _fold.Count;

    public int ReadingCount => _readings.Count;

    /// <summary>The simplified form of a character, or the character itself.</summary>
    public Rune Fold(Rune c) => _fold.TryGetValue(c.Value, out int folded) ? new Rune(folded) : c;

    /// <summary>Every toneless reading of a character, the customary one first; empty when it is no Han character.</summary>
    public IReadOnlyList<string> Readings(Rune c) =>
        _readings.TryGetValue(Fold(c).Value, out string[]? r) || _readings.TryGetValue(c.Value, out r) ? r : [];

    /// <summary>Surname readings (one syllable per character, space-separated), the usual first; null when not special.</summary>
    public IReadOnlyList<string>? SurnameReadings(string simplifiedSurname) =>
        _surnames.TryGetValue(simplifiedSurname, out string[]? r) ? r : null;

    public static bool IsHan(Rune c) =>
        c.Value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x323AF) or (>= 0xF900 and <= 0xFAFF);

    private static HanTables Load()
    {
        var fold = new Dictionary<int, int>();
        foreach (string line in Lines("han-fold.tsv"))
        {
            // Pairs of runes concatenated: (character, simplified form).
            Rune? first = null;
            foreach (Rune r in line.EnumerateRunes())
            {
                if (first is null)
                {
                    first = r;
                }
                else
                {
                    fold[first.Value.Value] = r.Value;
                    first = null;
                }
            }
        }

        var lists = new Dictionary<int, List<string>>();
        foreach (string line in Lines("han-pinyin.tsv"))
        {
            string[] parts = line.Split('\t');
            string syllable = string.Intern(parts[0]);

            // Customary readings first, so that index 0 of every list is the kMandarin one.
            foreach (Rune r in parts[1].EnumerateRunes())
            {
                ListFor(lists, r.Value).Insert(0, syllable);
            }

            foreach (Rune r in parts[2].EnumerateRunes())
            {
                ListFor(lists, r.Value).Add(syllable);
            }
        }

        var surnames = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string line in Lines("surname-readings.tsv"))
        {
            string[] parts = line.Split('\t');
            surnames[parts[0]] = parts[1].Split('|');
        }

        return new HanTables(fold, lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), surnames);
    }

    private static List<string> ListFor(Dictionary<int, List<string>> lists, int c)
    {
        if (!lists.TryGetValue(c, out List<string>? list))
        {
            list = new List<string>(2);
            lists[c] = list;
        }

        return list;
    }

    private static IEnumerable<string> Lines(string table)
    {
        Assembly assembly = typeof(HanTables).Assembly;
        using Stream stream = assembly.GetManifestResourceStream("OpenHip.Modules.Mpi.Tables." + table)
            ?? throw new InvalidOperationException($"Embedded table {table} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line;
            }
        }
    }
}
