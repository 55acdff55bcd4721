namespace OpenHip.Conformance.Tests.Search;

/// <summary>Every fixture file copied beside the test assembly, read once; the theory rows are their cases.</summary>
public static class SearchFixtureCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, SearchFixture>> Fixtures = new(LoadAll);

    public static IReadOnlyDictionary<string, SearchFixture> All => Fixtures.Value;

    /// <summary>Theory rows: "fixture/case", so each case shows and filters under its own name.</summary>
    public static TheoryData<string> CaseIds
    {
        get
        {
            var rows = new TheoryData<string>();
            foreach (SearchCase searchCase in All.Values.SelectMany(f => f.Cases))
            {
                rows.Add(searchCase.Id);
            }

            return rows;
        }
    }

    public static (SearchFixture Fixture, SearchCase Case) Find(string caseId)
    {
        string fixtureName = caseId[..caseId.IndexOf('/', StringComparison.Ordinal)];
        SearchFixture fixture = All[fixtureName];
        return (fixture, fixture.Cases.Single(c => c.Id == caseId));
    }

    private static Dictionary<string, SearchFixture> LoadAll()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Search", "Data");
        return Directory.EnumerateFiles(folder, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(SearchFixture.Load)
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
    }
}
