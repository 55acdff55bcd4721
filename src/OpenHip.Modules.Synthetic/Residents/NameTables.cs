using System.Globalization;
using System.Reflection;

namespace OpenHip.Modules.Synthetic.Residents;

/// <summary>The name tables shipped in Data/ (see each file's header for its source), parsed once.</summary>
internal sealed class NameTables
{
    private static readonly Lazy<NameTables> Shared = new(Load);

    private NameTables(
        IReadOnlyList<(string Surname, double Share)> surnames,
        IReadOnlyList<(string Char, char Sex, char Era, int Weight)> givenChars,
        IReadOnlyList<(string Char, string Variant, string Kind)> variants,
        IReadOnlyList<(string Group, string Name, string Latin, char Sex)> minority,
        IReadOnlyList<(string Nationality, string Family, string Given, char Sex)> foreign,
        IReadOnlyDictionary<string, string> pinyin)
    {
        Surnames = surnames;
        GivenChars = givenChars;
        Variants = variants;
        MinorityNames = minority;
        ForeignNames = foreign;
        Pinyin = pinyin;
    }

    public static NameTables Instance => Shared.Value;

    public IReadOnlyList<(string Surname, double Share)> Surnames { get; }

    public IReadOnlyList<(string Char, char Sex, char Era, int Weight)> GivenChars { get; }

    public IReadOnlyList<(string Char, string Variant, string Kind)> Variants { get; }

    public IReadOnlyList<(string Group, string Name, string Latin, char Sex)> MinorityNames { get; }

    public IReadOnlyList<(string Nationality, string Family, string Given, char Sex)> ForeignNames { get; }

    public IReadOnlyDictionary<string, string> Pinyin { get; }

    /// <summary>Pinyin of a run of Han characters as written in documents: syllables joined, first letter capital.</summary>
    public string ToPinyin(string han)
    {
        var builder = new System.Text.StringBuilder(han.Length * 4);
        foreach (char c in han)
        {
            string syllable = Pinyin[c.ToString()];
            // u-umlaut is kept as 'v' in the table; Chinese passports spell it YU (lyu, nyu).
            builder.Append(syllable.Replace("v", "yu", StringComparison.Ordinal));
        }

        if (builder.Length > 0)
        {
            builder[0] = char.ToUpperInvariant(builder[0]);
        }

        return builder.ToString();
    }

    private static NameTables Load()
    {
        var pinyin = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string[] row in Rows("pinyin.tsv"))
        {
            pinyin[row[0]] = row[1];
        }

        return new NameTables(
            [.. Rows("surnames.tsv").Select(r => (r[0], double.Parse(r[1], CultureInfo.InvariantCulture)))],
            [.. Rows("given-chars.tsv").Select(r => (r[0], r[1][0], r[2][0], int.Parse(r[3], CultureInfo.InvariantCulture)))],
            [.. Rows("variant-chars.tsv").Select(r => (r[0], r[1], r[2]))],
            [.. Rows("minority-names.tsv").Select(r => (r[0], r[1], r[2], r[3][0]))],
            [.. Rows("foreign-names.tsv").Select(r => (r[0], r[1], r[2], r[3][0]))],
            pinyin);
    }

    private static List<string[]> Rows(string file)
    {
        string name = "OpenHip.Modules.Synthetic.Data." + file;
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("Missing embedded table " + name);
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                rows.Add(line.Split('\t'));
            }
        }

        return rows;
    }
}
