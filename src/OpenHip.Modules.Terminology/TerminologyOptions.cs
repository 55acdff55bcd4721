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

    /// <summary>How often each node reads the store for terminology written by other nodes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Check coded elements against their bindings on every write (see <see cref="BindingStrengthsChecked"/>).</summary>
    public bool CheckBindingsOnWrite { get; init; } = true;

    /// <summary>
    /// Which binding strengths are checked: <c>required</c> rejects a code outside the value set (422); <c>extensible</c>
    /// and <c>preferred</c> add warnings to the response. Only value sets this server holds are checked.
    /// </summary>
    public IReadOnlyList<string> BindingStrengthsChecked { get; init; } = ["required", "extensible"];
}
