namespace OpenHip.Modules.Terminology.Catalog;

/// <summary>The resource types whose content the catalog compiles.</summary>
internal static class TerminologyTypes
{
    public const string CodeSystem = "CodeSystem";
    public const string ValueSet = "ValueSet";
    public const string ConceptMap = "ConceptMap";

    public static bool Contains(string type) => type is CodeSystem or ValueSet or ConceptMap;
}
