using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// A local code list as CSV: <c>code</c> (required), <c>display</c>, <c>definition</c>, <c>parent</c> (one code of
/// the same file: the concept nests under it), <c>designation:&lt;language&gt;</c> columns (e.g. designation:zh,
/// designation:en) and <c>property:&lt;code&gt;</c> columns (string values). One file becomes one CodeSystem.
/// </summary>
internal static class CsvCodeSystemReader
{
    private const string DesignationPrefix = "designation:";
    private const string PropertyPrefix = "property:";

    public static CodeSystem Read(string path, TerminologyLoadSettings settings)
    {
        CodeSystem codeSystem = CodeSystemHeader.Create(settings, path, null, null, null);
        using var table = new CsvTable(path, "code");
        string[] languages = [.. Suffixed(table, DesignationPrefix)];
        string[] properties = [.. Suffixed(table, PropertyPrefix)];
        foreach (string property in properties)
        {
            codeSystem.Property.Add(new CodeSystem.PropertyComponent { Code = property, Type = CodeSystem.PropertyType.String });
        }

        var tree = new ConceptTree(path);
        foreach (CsvRow row in table.Rows())
        {
            var concept = new CodeSystem.ConceptDefinitionComponent
            {
                Code = row.Required("code"),
                Display = row["display"],
                Definition = row["definition"],
            };
            foreach (string language in languages)
            {
                if (row[DesignationPrefix + language] is { } value)
                {
                    concept.Designation.Add(new CodeSystem.DesignationComponent { Language = language, Value = value });
                }
            }

            foreach (string property in properties)
            {
                if (row[PropertyPrefix + property] is { } value)
                {
                    concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = property, Value = new FhirString(value) });
                }
            }

            tree.Add(concept, row["parent"], row.Line);
        }

        if (tree.Count == 0)
        {
            throw new TerminologyLoadException(path, null, "no concepts below the header");
        }

        CodeSystemHeader.Complete(codeSystem, tree.Build(), tree.Count, CodeSystem.CodeSystemHierarchyMeaning.IsA);
        return codeSystem;
    }

    private static IEnumerable<string> Suffixed(CsvTable table, string prefix) =>
        table.Header
            .Where(h => h.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && h.Length > prefix.Length)
            .Select(h => h[prefix.Length..]);
}
