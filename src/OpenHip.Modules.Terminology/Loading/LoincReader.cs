using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// LOINC's release table (LoincTable/Loinc.csv): LOINC_NUM is the code, LONG_COMMON_NAME the display; the six axes,
/// CLASS, CLASSTYPE, ORDER_OBS and STATUS become properties (the LOINC FHIR property codes), SHORTNAME and DisplayName
/// designations, and DEPRECATED codes are marked inactive. Rows are read one at a time.
/// </summary>
internal static class LoincReader
{
    public const string Url = "http://loinc.org";

    private static readonly string[] Required =
        ["LOINC_NUM", "COMPONENT", "PROPERTY", "TIME_ASPCT", "SYSTEM", "SCALE_TYP", "METHOD_TYP", "LONG_COMMON_NAME", "STATUS"];

    private static readonly string[] Properties =
        ["COMPONENT", "PROPERTY", "TIME_ASPCT", "SYSTEM", "SCALE_TYP", "METHOD_TYP", "CLASS", "CLASSTYPE", "ORDER_OBS", "STATUS"];

    private static readonly string[] Designations = ["SHORTNAME", "DisplayName"];

    private static readonly Coding Synonym = new("http://snomed.info/sct", "900000000000013009", "Synonym");

    public static CodeSystem Read(string path, TerminologyLoadSettings settings)
    {
        using var table = new CsvTable(path, Required);
        string[] properties = [.. Properties.Where(table.Has)];
        string[] designations = [.. Designations.Where(table.Has)];
        var concepts = new List<CodeSystem.ConceptDefinitionComponent>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        Version? newest = null;
        foreach (CsvRow row in table.Rows())
        {
            string code = row.Required("LOINC_NUM");
            if (!codes.Add(code))
            {
                throw row.Error($"LOINC_NUM {code} appears twice");
            }

            var concept = new CodeSystem.ConceptDefinitionComponent
            {
                Code = code,
                Display = row.Required("LONG_COMMON_NAME"),
                Definition = row["DefinitionDescription"],
            };
            foreach (string property in properties)
            {
                if (row[property] is { } value)
                {
                    concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = property, Value = new FhirString(value) });
                }
            }

            if (string.Equals(row["STATUS"], "DEPRECATED", StringComparison.OrdinalIgnoreCase))
            {
                concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "inactive", Value = new FhirBoolean(true) });
            }

            foreach (string designation in designations)
            {
                if (row[designation] is { } value)
                {
                    concept.Designation.Add(new CodeSystem.DesignationComponent { Language = "en", Use = Synonym, Value = value });
                }
            }

            if (Version.TryParse(row["VersionLastChanged"], out Version? changed) && (newest is null || changed > newest))
            {
                newest = changed;
            }

            concepts.Add(concept);
        }

        if (concepts.Count == 0)
        {
            throw new TerminologyLoadException(path, null, "no LOINC rows below the header");
        }

        // Loinc.csv does not state its release; the newest VersionLastChanged is it, unless the deployer says otherwise.
        CodeSystem codeSystem = CodeSystemHeader.Create(settings with { Id = settings.Id ?? "loinc" }, path, Url, "LOINC", newest?.ToString());
        codeSystem.Publisher = "Regenstrief Institute, Inc.";
        codeSystem.Copyright = "This material contains content from LOINC (http://loinc.org), copyright Regenstrief Institute, Inc. and the LOINC Committee, loaded by the deployer under the LOINC licence.";
        foreach (string property in properties)
        {
            codeSystem.Property.Add(new CodeSystem.PropertyComponent { Code = property, Type = CodeSystem.PropertyType.String });
        }

        codeSystem.Property.Add(new CodeSystem.PropertyComponent
        {
            Code = "inactive",
            Uri = "http://hl7.org/fhir/concept-properties#inactive",
            Type = CodeSystem.PropertyType.Boolean,
        });
        codeSystem.Concept = concepts;
        codeSystem.Count = concepts.Count;
        return codeSystem;
    }
}
