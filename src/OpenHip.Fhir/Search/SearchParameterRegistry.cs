using System.Collections.Immutable;
using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The active search parameters: the R4 definitions plus stored SearchParameter resources (issue #4 step 4). Readers
/// get an immutable <see cref="SearchParameterSet"/>; a change builds a new one and swaps it in atomically, so a
/// reader never sees half a change and extractor caches notice the new <see cref="Version"/>.
/// </summary>
public sealed class SearchParameterRegistry
{
    private readonly Lock _changes = new();
    private volatile SearchParameterSet _current = SearchParameterSet.BuiltIn;

    public SearchParameterSet Current => _current;

    public long Version => _current.Version;

    public SearchParameterInfo? Find(string resourceType, string code) => _current.Find(resourceType, code);

    public IEnumerable<SearchParameterInfo> ForType(string resourceType) => _current.ForType(resourceType);

    public SearchParameterInfo? FindByUrl(string url) => _current.FindByUrl(url);

    /// <summary>The parameters a SearchParameter resource defines; throws a 400 <see cref="FhirException"/> listing what makes it unusable.</summary>
    public IReadOnlyList<SearchParameterInfo> Validate(SearchParameter resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        IReadOnlyList<FhirIssue> issues = SearchParameterReader.Read(resource, _current, out IReadOnlyList<SearchParameterInfo> parameters);
        return issues.Count == 0 ? parameters : throw new FhirException(FhirErrorKind.BadRequest, issues);
    }

    /// <summary>Validates and activates a SearchParameter resource, replacing what an earlier version of it defined.</summary>
    public void Register(SearchParameter resource)
    {
        IReadOnlyList<SearchParameterInfo> parameters = Validate(resource);
        string key = resource.Id ?? resource.Url ?? throw FhirException.BadRequest("A SearchParameter needs an id or a url to be registered", "SearchParameter.url");
        Apply([new StoredSearchParameter(key, VersionOf(resource), resource.Url, parameters)]);
    }

    /// <summary>Deactivates the stored parameter with this resource id or canonical URL; false when none was active.</summary>
    public bool Unregister(string urlOrId)
    {
        ArgumentNullException.ThrowIfNull(urlOrId);
        lock (_changes)
        {
            ImmutableDictionary<string, StoredSearchParameter> stored = _current.Stored;
            string[] keys = stored.Values.Where(s => s.Key == urlOrId || s.Url == urlOrId).Select(s => s.Key).ToArray();
            if (keys.Length == 0)
            {
                return false;
            }

            _current = _current.With(stored.RemoveRange(keys));
            return true;
        }
    }

    /// <summary>
    /// Activates stored resources as committed (after a write, or at start-up) without throwing: one that does not
    /// validate is skipped and its id returned. Composites come last so their components can be stored ones.
    /// </summary>
    internal IReadOnlyList<string> Activate(IEnumerable<SearchParameter> resources)
    {
        List<string> rejected = [];
        lock (_changes)
        {
            foreach (SearchParameter resource in resources.OrderBy(r => r.Type == SearchParamType.Composite))
            {
                IReadOnlyList<FhirIssue> issues = SearchParameterReader.Read(resource, _current, out IReadOnlyList<SearchParameterInfo> parameters);
                if (issues.Count > 0 || (resource.Id ?? resource.Url) is not { } key)
                {
                    rejected.Add(resource.Id ?? resource.Url ?? "(no id)");
                    continue;
                }

                Apply([new StoredSearchParameter(key, VersionOf(resource), resource.Url, parameters)]);
            }
        }

        return rejected;
    }

    /// <summary>Records that version <paramref name="version"/> of a stored SearchParameter deleted it.</summary>
    internal void Retire(string id, long version) => Apply([new StoredSearchParameter(id, version, null, [])]);

    /// <summary>
    /// Applies changes unless a newer version of the same resource is already applied: two writers of one
    /// SearchParameter may reach here in the opposite order from their commits.
    /// </summary>
    private void Apply(IEnumerable<StoredSearchParameter> changes)
    {
        lock (_changes)
        {
            ImmutableDictionary<string, StoredSearchParameter> stored = _current.Stored;
            foreach (StoredSearchParameter change in changes)
            {
                if (change.Version > 0 && stored.TryGetValue(change.Key, out StoredSearchParameter? applied) && applied.Version >= change.Version)
                {
                    continue;
                }

                stored = stored.SetItem(change.Key, change);
            }

            if (!ReferenceEquals(stored, _current.Stored))
            {
                _current = _current.With(stored);
            }
        }
    }

    private static long VersionOf(Resource resource) =>
        long.TryParse(resource.Meta?.VersionId, NumberStyles.None, CultureInfo.InvariantCulture, out long version) ? version : 0;
}
