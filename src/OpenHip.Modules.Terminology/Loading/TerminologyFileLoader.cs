namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// Reads a file, or every file of a folder (recursively, in name order), into terminology resources. Without a
/// format the file tells: <c>.tgz</c> is an NPM package, <c>.xml</c> ClaML, <c>Loinc.csv</c> the LOINC table, a CSV
/// whose header has source_code a ConceptMap, any other CSV a code list. Everything is read and checked before the
/// caller writes anything, so bad input leaves the store as it was.
/// </summary>
public static class TerminologyFileLoader
{
    public static IReadOnlyList<LoadedResource> Load(string path, TerminologyLoadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(settings);
        if (Directory.Exists(path))
        {
            string[] files = [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => settings.Format is { } format ? Fits(format, f) : Detect(f) is not null)
                .Order(StringComparer.Ordinal)];
            if (files.Length == 0)
            {
                throw new TerminologyLoadException(path, null, "the folder holds no .tgz, .csv or .xml file");
            }

            return [.. files.SelectMany(f => LoadFile(f, settings))];
        }

        return File.Exists(path)
            ? LoadFile(path, settings)
            : throw new TerminologyLoadException(path, null, "no such file or folder");
    }

    /// <summary>The format a file's name (and for CSV its header) implies; null for files that are no terminology.</summary>
    public static TerminologyFormat? Detect(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string name = Path.GetFileName(file);
        if (name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase))
        {
            return TerminologyFormat.Npm;
        }

        if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            return TerminologyFormat.Claml;
        }

        if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (name.Equals("Loinc.csv", StringComparison.OrdinalIgnoreCase))
        {
            return TerminologyFormat.Loinc;
        }

        using var table = new CsvTable(file);
        return table.Has("source_code") ? TerminologyFormat.ConceptMapCsv : TerminologyFormat.Csv;
    }

    /// <summary>With a format given for a folder, the files of that format's kind: the folder may hold others.</summary>
    private static bool Fits(TerminologyFormat format, string file) => format switch
    {
        TerminologyFormat.Npm => file.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase),
        TerminologyFormat.Claml => file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase),
        _ => file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase),
    };

    private static IReadOnlyList<LoadedResource> LoadFile(string file, TerminologyLoadSettings settings)
    {
        TerminologyFormat format = settings.Format ?? Detect(file)
            ?? throw new TerminologyLoadException(file, null, "cannot tell the format from the name; give --format npm|csv|claml|loinc|conceptmap-csv");
        return format switch
        {
            TerminologyFormat.Npm => [.. NpmPackageReader.Read(file)],
            TerminologyFormat.Csv => [new LoadedResource(CsvCodeSystemReader.Read(file, settings), file)],
            TerminologyFormat.Claml => [new LoadedResource(ClamlReader.Read(file, settings), file)],
            TerminologyFormat.Loinc => [new LoadedResource(LoincReader.Read(file, settings), file)],
            TerminologyFormat.ConceptMapCsv => [new LoadedResource(ConceptMapCsvReader.Read(file, settings), file)],
            _ => throw new ArgumentOutOfRangeException(nameof(settings), format, "unknown format"),
        };
    }
}
