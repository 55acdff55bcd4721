using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed partial class SearchIndexerTests
{
    private const string Loinc = "http://loinc.org";

    [Fact]
    public void Extract_CodeValueQuantity_OneCombinationPerCoding()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Coding = [new Coding(Loinc, "29463-7"), new Coding("http://snomed.info/sct", "27113001")] },
            Value = Ucum(70, "kg"),
        };

        QuantityIndexEntry value = new("1", 70, UcumCanonical.System, "kg", "kg", Canonical(70, "kg", out _), "g");
        AssertEntries(
            [
                new CompositeIndexEntry("code-value-quantity", [new TokenIndexEntry("0", Loinc, "29463-7"), value]),
                new CompositeIndexEntry("code-value-quantity", [new TokenIndexEntry("0", "http://snomed.info/sct", "27113001"), value]),
            ],
            Extract(observation),
            "code-value-quantity");
    }

    [Fact]
    public void Extract_BloodPressureComponents_EachCodeOnlyWithItsOwnValue()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Loinc, "85354-9"),
            Component =
            [
                new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8480-6"), Value = Ucum(120, "mm[Hg]") },
                new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8462-4"), Value = Ucum(80, "mm[Hg]") },
            ],
        };

        IReadOnlyList<IndexEntry> entries = Extract(observation);

        QuantityIndexEntry Value(decimal v) => new("1", v, UcumCanonical.System, "mm[Hg]", "mm[Hg]", Canonical(v, "mm[Hg]", out _), "g.m-1.s-2");
        CompositeIndexEntry[] pairs =
        [
            new("component-code-value-quantity", [new TokenIndexEntry("0", Loinc, "8480-6"), Value(120)]),
            new("component-code-value-quantity", [new TokenIndexEntry("0", Loinc, "8462-4"), Value(80)]),
        ];
        AssertEntries(pairs, entries, "component-code-value-quantity");
        AssertEntries(pairs.Select(p => new CompositeIndexEntry("combo-code-value-quantity", p.Components)), entries, "combo-code-value-quantity");
        AssertNone(entries, "code-value-quantity");
        AssertEntries(
            [new TokenIndexEntry("component-code", Loinc, "8480-6"), new TokenIndexEntry("component-code", Loinc, "8462-4")], entries, "component-code");
    }

    [Fact]
    public void Extract_CodeValueConceptAndDate_ComponentsOfOtherTypes()
    {
        var smoking = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Loinc, "72166-2"),
            Value = new CodeableConcept("http://snomed.info/sct", "266919005", "Never smoked"),
        };
        var dated = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Loinc, "21612-7"),
            Value = new Period { Start = "2020-01-01" },
        };

        AssertEntries(
            [new CompositeIndexEntry("code-value-concept", [new TokenIndexEntry("0", Loinc, "72166-2"), new TokenIndexEntry("1", "http://snomed.info/sct", "266919005", "never smoked")])],
            Extract(smoking),
            "code-value-concept");
        AssertEntries(
            [new CompositeIndexEntry("code-value-date", [new TokenIndexEntry("0", Loinc, "21612-7"), new DateIndexEntry("1", At(2020, 1, 1), DateTimeOffset.MaxValue)])],
            Extract(dated),
            "code-value-date");
    }
}
