using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed partial class SearchIndexerTests
{
    [Fact]
    public void Extract_BirthDateWithoutZone_MonthInTheRegionZone()
    {
        IReadOnlyList<IndexEntry> entries = Extract(new Patient { BirthDate = "1995-05" });

        AssertEntries([new DateIndexEntry("birthdate", At(1995, 5, 1), At(1995, 5, 31, 23, 59, 59, 999))], entries, "birthdate");
    }

    [Fact]
    public void Extract_UnparsableDate_IndexesNothing()
    {
        var patient = new Patient { BirthDateElement = new Date("soon") };

        AssertNone(Extract(patient), "birthdate");
    }

    [Fact]
    public void Extract_EncounterPeriodWithoutEnd_OpenHigh()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.InProgress,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
            Period = new Period { StartElement = new FhirDateTime("2021-03-04T10:00:00Z") },
        };

        IReadOnlyList<IndexEntry> entries = Extract(encounter);

        var start = new DateTimeOffset(2021, 3, 4, 10, 0, 0, TimeSpan.Zero);
        AssertEntries([new DateIndexEntry("date", start, DateTimeOffset.MaxValue)], entries, "date");
        AssertEntries([new TokenIndexEntry("class", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB")], entries, "class");
    }

    [Fact]
    public void Extract_ObservationEffectivePeriod_StartLowToEndHigh()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "1"),
            Effective = new Period(new FhirDateTime("2020-01-01"), new FhirDateTime("2020-01-02")),
        };

        AssertEntries([new DateIndexEntry("date", At(2020, 1, 1), At(2020, 1, 2, 23, 59, 59, 999))], Extract(observation), "date");
    }

    [Fact]
    public void Extract_Timing_EachEventAndTheBounds()
    {
        var request = new ServiceRequest
        {
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference("Patient/p"),
            Occurrence = new Timing
            {
                Event = ["2020-06-01T08:00:00+08:00", "2020-06-02"],
                Repeat = new Timing.RepeatComponent { Bounds = new Period { Start = "2020-06-01", End = "2020-06-30" } },
            },
        };

        AssertEntries(
            [
                new DateIndexEntry("occurrence", At(2020, 6, 1, 8), At(2020, 6, 1, 8, 0, 0, 999)),
                new DateIndexEntry("occurrence", At(2020, 6, 2), At(2020, 6, 2, 23, 59, 59, 999)),
                new DateIndexEntry("occurrence", At(2020, 6, 1), At(2020, 6, 30, 23, 59, 59, 999)),
            ],
            Extract(request),
            "occurrence");
    }
}
