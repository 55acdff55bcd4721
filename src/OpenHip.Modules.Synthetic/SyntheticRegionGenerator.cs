using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic.Clinical;
using OpenHip.Modules.Synthetic.Region;
using OpenHip.Modules.Synthetic.Residents;

namespace OpenHip.Modules.Synthetic;

/// <summary>
/// Deterministic generator of a synthetic health region. Resident <c>i</c> depends only on the options and
/// <c>i</c>, so residents can be streamed one at a time (or generated out of order) with the same result.
/// </summary>
public sealed class SyntheticRegionGenerator
{
    private readonly NameGenerator _names;
    private readonly ResidentFactory _residents;
    private readonly HistoryGenerator _histories;
    private readonly IReadOnlyList<PlannedOutbreak> _planned;

    public SyntheticRegionGenerator(SyntheticRegionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Catalog = new RegionCatalog();
        NameTables tables = NameTables.Instance;
        _names = new NameGenerator(tables);
        _residents = new ResidentFactory(options.Seed, options.ReferenceDate, _names);
        _planned = OutbreakPlanner.Plan(options);
        _histories = new HistoryGenerator(options, Catalog, tables, _planned);
        Outbreaks = [.. _planned.Select(p => p.Definition)];
    }

    public SyntheticRegionOptions Options { get; }

    /// <summary>The injected outbreaks (case counts are known once residents are generated; see RegionWriter).</summary>
    public IReadOnlyList<OutbreakDefinition> Outbreaks { get; }

    internal RegionCatalog Catalog { get; }

    /// <summary>Organizations, Locations, Practitioners and PractitionerRoles as a transaction of PUTs with fixed ids.</summary>
    public Bundle CreateSharedBundle() => SharedResources.Build(Catalog, _names, Options.Seed);

    /// <summary>Resident <paramref name="index"/> (0-based) as a transaction Bundle with its ground truth.</summary>
    public ResidentHistory GenerateResident(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return _histories.Generate(_residents.Create(index));
    }

    /// <summary>All <see cref="SyntheticRegionOptions.Patients"/> residents in order, one at a time.</summary>
    public IEnumerable<ResidentHistory> GenerateResidents()
    {
        for (int i = 0; i < Options.Patients; i++)
        {
            yield return GenerateResident(i);
        }
    }

    internal Resident ResidentAt(int index) => _residents.Create(index);
}
