using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

/// <summary>
/// The full indexer on real resource shapes: each test states the exact entries one parameter gets. Split by
/// parameter type over the partial files.
/// </summary>
public sealed partial class SearchIndexerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private readonly SearchParameterRegistry _registry = new();

    private readonly SearchIndexer _indexer;

    public SearchIndexerTests() => _indexer = new SearchIndexer(_registry, RegionTimeZone.Of(Shanghai));

    private IReadOnlyList<IndexEntry> Extract(Resource resource) => _indexer.Extract(resource);

    /// <summary>The entries of one parameter, as a set: extraction order is not part of the contract.</summary>
    private static void AssertEntries(IEnumerable<IndexEntry> expected, IReadOnlyList<IndexEntry> all, string parameter)
    {
        string[] wanted = [.. expected.Select(Describe).Order(StringComparer.Ordinal)];
        string[] actual = [.. all.Where(e => e.Parameter == parameter).Select(Describe).Order(StringComparer.Ordinal)];
        Assert.True(wanted.SequenceEqual(actual), $"expected:\n  {string.Join("\n  ", wanted)}\nactual:\n  {string.Join("\n  ", actual)}");
    }

    private static void AssertNone(IReadOnlyList<IndexEntry> all, string parameter) => Assert.DoesNotContain(all, e => e.Parameter == parameter);

    /// <summary>
    /// Records print their values, but a date without its milliseconds, a decimal with its scale (0.005 and 0.005000 are
    /// equal values) and a composite's components only as a list type, so those are spelt out.
    /// </summary>
    private static string Describe(IndexEntry entry) => entry switch
    {
        CompositeIndexEntry composite => $"{composite.Parameter} [{string.Join("; ", composite.Components.Select(Describe))}]",
        DateIndexEntry date => Invariant($"Date {date.Parameter} {date.Low:O} {date.High:O}"),
        NumberIndexEntry number => Invariant($"Number {number.Parameter} {number.Value:G29}"),
        QuantityIndexEntry q => Invariant($"Quantity {q.Parameter} {q.Value:G29} {q.System}|{q.Code}|{q.Unit} {q.CanonicalValue:G29} {q.CanonicalCode}"),
        _ => entry.ToString(),
    };

    private static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int millis = 0) =>
        new(year, month, day, hour, minute, second, millis, China);

    private static Quantity Ucum(decimal value, string code) => new(value, code, UcumCanonical.System) { Unit = code };

    private static decimal Canonical(decimal value, string code, out string unit)
    {
        Assert.True(UcumCanonical.TryCanonicalize(value, code, out decimal canonical, out unit));
        return canonical;
    }

    private static string Text(string s) => SearchText.Normalize(s);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
