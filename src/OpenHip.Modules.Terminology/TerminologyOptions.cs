using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Terminology;

/// <summary>The terminology service's configuration section (<c>Modules:Terminology</c>); see docs/terminology.md.</summary>
public sealed class TerminologyOptions
{
    public const string SectionName = "Modules:Terminology";

    /// <summary>$expand answers at most this many codes per page; larger requests are cut and paged with offset.</summary>
    [Range(1, 100_000)]
    public int MaxExpansionPageSize { get; init; } = 1_000;

    /// <summary>Value sets that expand past this many codes are refused (too-costly) instead of built in memory.</summary>
    [Range(1, 10_000_000)]
    public int MaxExpansionSize { get; init; } = 1_000_000;

    /// <summary>
    /// Refuse a write (422, the element path in the OperationOutcome) whose code lies outside a <c>required</c> binding's
    /// value set. Only value sets this server holds and can expand are enforced; others are skipped.
    /// </summary>
    public bool EnforceRequiredBindings { get; init; } = true;

    /// <summary>Warn (in the response OperationOutcome) about codes outside an <c>extensible</c> binding's value set.</summary>
    public bool WarnOnExtensibleBindings { get; init; } = true;

    /// <summary>Warn about codes outside a <c>preferred</c> binding's value set (off: core bindings prefer many large sets).</summary>
    public bool WarnOnPreferredBindings { get; init; }

    /// <summary>The binding strengths the write hook checks, from the three switches above.</summary>
    internal IReadOnlySet<string> CheckedStrengths =>
        new HashSet<string>(
            new[] { (EnforceRequiredBindings, "required"), (WarnOnExtensibleBindings, "extensible"), (WarnOnPreferredBindings, "preferred") }
                .Where(s => s.Item1).Select(s => s.Item2),
            StringComparer.Ordinal);
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
