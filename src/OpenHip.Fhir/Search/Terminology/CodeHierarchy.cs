namespace OpenHip.Fhir.Search.Terminology;

/// <summary>The subsumption of one code system, at one moment of the catalog.</summary>
/// <param name="system">The code system URL.</param>
/// <param name="fingerprint">
/// Changes whenever any parent of any code changes. The store records per system the fingerprint every current
/// resource's closure rows were written with; a search uses those rows only while it equals the catalog's.
/// </param>
public abstract class CodeHierarchy(string system, string fingerprint)
{
    public string System => system;

    public string Fingerprint => fingerprint;

    /// <summary>The code as the system spells it (a case-insensitive system matches any case), or as given when unknown.</summary>
    public virtual string Canonical(string code) => code;

    /// <summary>The code's proper ancestors, each once; none for a code the system lacks or a root.</summary>
    public abstract IEnumerable<string> AncestorsOf(string code);
}
