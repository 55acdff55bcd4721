using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

/// <summary>The <c>:below</c> closure rows: a coded token of a system with a known hierarchy, again for itself and each ancestor.</summary>
public sealed partial class SearchIndexerTests
{
    private const string Tx = "http://openhip.test/CodeSystem/tx";

    [Fact]
    public void Extract_CodingOfAKnownHierarchy_AddsClosureRowsForTheCodeAndEachAncestor()
    {
        SearchIndexer indexer = WithAncestry();

        IReadOnlyList<IndexEntry> entries = indexer.Extract(new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Coding = [new Coding(Tx, "flu"), new Coding("http://loinc.org", "8480-6")] },
        });

        AssertEntries(
            [new TokenIndexEntry("code:below", Tx, "flu"), new TokenIndexEntry("code:below", Tx, "resp"), new TokenIndexEntry("code:below", Tx, "root")],
            entries,
            "code" + TokenClosure.Suffix);
        AssertEntries([new TokenIndexEntry("code", Tx, "flu"), new TokenIndexEntry("code", "http://loinc.org", "8480-6")], entries, "code");
    }

    [Fact]
    public void Extract_CodeTheHierarchyLacks_AddsOnlyItsOwnClosureRow()
    {
        IReadOnlyList<IndexEntry> entries = WithAncestry().Extract(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept(Tx, "new") });

        AssertEntries([new TokenIndexEntry("code:below", Tx, "new")], entries, "code:below");
    }

    [Fact]
    public void Extract_WithoutAncestry_NoClosureRows()
    {
        IReadOnlyList<IndexEntry> entries = Extract(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept(Tx, "flu") });

        AssertNone(entries, "code:below");
    }

    private SearchIndexer WithAncestry() =>
        new(_registry, RegionTimeZone.Of(Shanghai), Options.Create(new FhirEngineOptions()), new FixedAncestry());

    private sealed class FixedAncestry : ICodeAncestry
    {
        public event EventHandler? Changed
        {
            add { }
            remove { }
        }

        public CodeHierarchy? Find(string system) => system == Tx ? new TxHierarchy() : null;

        public IReadOnlyList<CodeHierarchy> All() => [new TxHierarchy()];
    }

    private sealed class TxHierarchy() : CodeHierarchy(Tx, "f1")
    {
        public override IEnumerable<string> AncestorsOf(string code) => code switch
        {
            "flu" => ["resp", "root"],
            "resp" => ["root"],
            _ => [],
        };
    }
}
