using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Terminology;

/// <summary>The terminology service's configuration section (<c>Modules:Terminology</c>).</summary>
public sealed class TerminologyOptions
{
    public const string SectionName = "Modules:Terminology";

    /// <summary>Load the R4 core CodeSystems and ValueSets into the store on its first start (docs/terminology-content.md).</summary>
    public bool LoadCoreContent { get; set; } = true;

    /// <summary>Load the Chinese national code sets shipped with OpenHIP into the store on its first start.</summary>
    public bool LoadNationalContent { get; set; } = true;

    /// <summary>
    /// Largest terminology resource a loader writes, in bytes of JSON; a bigger one is refused before anything is
    /// written. The default matches the HTTP edge's request limit, so what was loaded can also be sent back.
    /// </summary>
    [Range(1024, int.MaxValue)]
    public int MaxResourceBytes { get; set; } = 64 * 1024 * 1024;
}
