namespace OpenHip.Modules.Mpi.Evaluation;

/// <summary>
/// The benchmark CSVs: comma-separated with a space after each comma, no quoting, empty for missing. Rows come
/// as dictionaries by header name, so readers say which column they use.
/// </summary>
internal static class CsvRows
{
    public static IEnumerable<IReadOnlyDictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path);
        string[] header = Split(reader.ReadLine() ?? string.Empty);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = Split(line);
            var row = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (int c = 0; c < header.Length; c++)
            {
                row[header[c]] = c < cells.Length ? cells[c] : string.Empty;
            }

            yield return row;
        }
    }

    private static string[] Split(string line) => [.. line.Split(',').Select(c => c.Trim())];
}
