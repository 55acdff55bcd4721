namespace OpenHip.Modules.Terminology.Loading;

/// <summary>The file formats <c>openhip terminology load</c> reads (docs/terminology-content.md shows each).</summary>
public enum TerminologyFormat
{
    /// <summary>A FHIR NPM package (.tgz): its CodeSystem, ValueSet, ConceptMap and NamingSystem resources.</summary>
    Npm,

    /// <summary>CSV with code, display, parent, designation:&lt;lang&gt; and property:&lt;code&gt; columns: one CodeSystem.</summary>
    Csv,

    /// <summary>WHO ClaML XML (ICD-10): chapters, blocks and categories as one CodeSystem.</summary>
    Claml,

    /// <summary>LOINC's Loinc.csv release table: one CodeSystem with the LOINC axes as properties.</summary>
    Loinc,

    /// <summary>CSV of source system/code to target system/code maps: one ConceptMap.</summary>
    ConceptMapCsv,
}
