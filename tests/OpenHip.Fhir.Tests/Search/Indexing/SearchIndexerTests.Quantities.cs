using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed partial class SearchIndexerTests
{
    [Fact]
    public void Extract_ObservationValueQuantity_AsWrittenAndCanonical()
    {
        var observation = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8480-6"), Value = Ucum(120, "mm[Hg]") };

        decimal canonical = Canonical(120, "mm[Hg]", out string unit);

        Assert.Equal(15_998_640m, canonical);
        Assert.Equal("g.m-1.s-2", unit);
        AssertEntries(
            [new QuantityIndexEntry("value-quantity", 120, UcumCanonical.System, "mm[Hg]", "mm[Hg]", canonical, unit)],
            Extract(observation),
            "value-quantity");
    }

    [Fact]
    public void Extract_GramsAndMilligrams_SameCanonicalValue()
    {
        var grams = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "1"), Value = Ucum(1, "g") };
        var milligrams = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "1"), Value = Ucum(1000, "mg") };

        var a = (QuantityIndexEntry)Extract(grams).Single(e => e.Parameter == "value-quantity");
        var b = (QuantityIndexEntry)Extract(milligrams).Single(e => e.Parameter == "value-quantity");

        Assert.Equal("g", a.CanonicalCode);
        Assert.Equal(a.CanonicalCode, b.CanonicalCode);
        Assert.Equal(a.CanonicalValue, b.CanonicalValue);
    }

    [Fact]
    public void Extract_QuantitySystems_CanonicalOnlyForUcumOrNoSystem()
    {
        var noSystem = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "1"), Value = new Quantity { Value = 5, Code = "mg" } };
        var otherSystem = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "1"), Value = new Quantity(5, "mg", "http://example.org/units") };

        AssertEntries([new QuantityIndexEntry("value-quantity", 5, null, "mg", null, 0.005m, "g")], Extract(noSystem), "value-quantity");
        AssertEntries(
            [new QuantityIndexEntry("value-quantity", 5, "http://example.org/units", "mg", "mg", null, null)], Extract(otherSystem), "value-quantity");
    }

    [Fact]
    public void Extract_ConditionOnsetAgeAndRange_QuantityKinds()
    {
        var age = new Condition { Subject = new ResourceReference("Patient/p"), Onset = new Age { Value = 2, Code = "a", System = UcumCanonical.System, Unit = "yr" } };
        var range = new Condition
        {
            Subject = new ResourceReference("Patient/p"),
            Onset = new Hl7.Fhir.Model.Range { Low = new Quantity { Value = 10, Code = "a", System = UcumCanonical.System }, High = new Quantity { Value = 20, Code = "a", System = UcumCanonical.System } },
        };

        decimal twoYears = Canonical(2, "a", out string seconds);
        AssertEntries([new QuantityIndexEntry("onset-age", 2, UcumCanonical.System, "a", "yr", twoYears, seconds)], Extract(age), "onset-age");
        AssertEntries(
            [
                new QuantityIndexEntry("onset-age", 10, UcumCanonical.System, "a", null, Canonical(10, "a", out _), seconds),
                new QuantityIndexEntry("onset-age", 20, UcumCanonical.System, "a", null, Canonical(20, "a", out _), seconds),
            ],
            Extract(range),
            "onset-age");
    }

    [Fact]
    public void Extract_Money_ValueWithCurrencyAsCode()
    {
        var item = new ChargeItem
        {
            Status = ChargeItem.ChargeItemStatus.Billable,
            Code = new CodeableConcept("http://example.org/fees", "x"),
            Subject = new ResourceReference("Patient/p"),
            PriceOverride = new Money { Value = 99.5m, Currency = Money.Currencies.CNY },
        };

        AssertEntries([new QuantityIndexEntry("price-override", 99.5m, "urn:iso:std:iso:4217", "CNY", null, null, null)], Extract(item), "price-override");
    }

    [Fact]
    public void Extract_RiskProbability_Number()
    {
        var assessment = new RiskAssessment
        {
            Status = ObservationStatus.Final,
            Subject = new ResourceReference("Patient/p"),
            Prediction =
            [
                new RiskAssessment.PredictionComponent { Probability = new FhirDecimal(0.25m) },
                new RiskAssessment.PredictionComponent { Probability = new Hl7.Fhir.Model.Range { Low = new Quantity { Value = 0.1m }, High = new Quantity { Value = 0.2m } } },
            ],
        };
        var sequence = new MolecularSequence { CoordinateSystem = 0, Variant = [new MolecularSequence.VariantComponent { Start = 12, End = 15 }] };

        AssertEntries(
            [new NumberIndexEntry("probability", 0.25m), new NumberIndexEntry("probability", 0.1m, 0.2m)],
            Extract(assessment),
            "probability");
        AssertEntries([new NumberIndexEntry("variant-start", 12)], Extract(sequence), "variant-start");
    }

    [Fact]
    public void Extract_CanonicalUrlAsUri_KeepsItWhole()
    {
        var valueSet = new ValueSet { Url = "http://openhip.org/fhir/ValueSet/notifiable-diseases", Version = "1.0", Status = PublicationStatus.Active };

        IReadOnlyList<IndexEntry> entries = Extract(valueSet);

        AssertEntries([new UriIndexEntry("url", "http://openhip.org/fhir/ValueSet/notifiable-diseases")], entries, "url");
        AssertEntries([new TokenIndexEntry("version", null, "1.0")], entries, "version");
    }
}
