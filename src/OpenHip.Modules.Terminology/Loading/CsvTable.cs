namespace OpenHip.Modules.Terminology.Loading;

/// <summary>A CSV file read by column name: the first record is the header, names compare case-insensitively.</summary>
internal sealed class CsvTable : IDisposable
{
    private readonly StreamReader _stream;
    private readonly CsvReader _reader;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);

    public CsvTable(string path, params string[] required)
    {
        _stream = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        _reader = new CsvReader(_stream, path);
        if (_reader.Read() is not { } header)
        {
            Dispose();
            throw new TerminologyLoadException(path, 1, "the file is empty; expected a header row");
        }

        Header = [.. header.Fields.Select(f => f.Trim())];
        for (int i = 0; i < Header.Count; i++)
        {
            _columns.TryAdd(Header[i], i);
        }

        string[] missing = [.. required.Where(r => !_columns.ContainsKey(r))];
        if (missing.Length > 0)
        {
            Dispose();
            throw new TerminologyLoadException(path, 1, $"the header lacks the column(s) {string.Join(", ", missing)}");
        }
    }

    public string File => _reader.File;

    public IReadOnlyList<string> Header { get; }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>Every data record; each must have as many fields as the header.</summary>
    public IEnumerable<CsvRow> Rows()
    {
        while (_reader.Read() is { } record)
        {
            if (record.Fields.Length != Header.Count)
            {
                throw new TerminologyLoadException(File, record.Line, $"{record.Fields.Length} fields where the header has {Header.Count}");
            }

            yield return new CsvRow(this, record.Fields, record.Line);
        }
    }

    internal int IndexOf(string column) => _columns.TryGetValue(column, out int index) ? index : -1;

    public void Dispose() => _stream.Dispose();
}

/// <summary>One data record of a <see cref="CsvTable"/>.</summary>
internal readonly record struct CsvRow(CsvTable Table, string[] Fields, long Line)
{
    /// <summary>The trimmed value of a column; null when the column is absent or the value empty.</summary>
    public string? this[string column]
    {
        get
        {
            int index = Table.IndexOf(column);
            string? value = index < 0 ? null : Fields[index].Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }

    /// <summary>A column that must have a value.</summary>
    public string Required(string column) =>
        this[column] ?? throw new TerminologyLoadException(Table.File, Line, $"{column} is empty");

    public TerminologyLoadException Error(string problem) => new(Table.File, Line, problem);
}
