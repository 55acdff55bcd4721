namespace OpenHip.Modules.Terminology;

/// <summary>The terminology service's configuration section (<c>Modules:Terminology</c>).</summary>
public sealed class TerminologyOptions
{
    public const string SectionName = "Modules:Terminology";
}
