using Hl7.Fhir.Model;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using OpenHip.Modules.Synthetic;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class PopulationFitTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private static readonly string[] Families = ["Wang", "Okafor", "Muller", "Garcia", "Nguyen", "Smith", "Kowalski", "Haddad"];
    private static readonly string[] Givens = ["Fang", "Chidi", "Anna", "Lucia", "Minh", "John", "Zofia", "Karim"];

    /// <summary>
    /// A population without duplicates but with groups of 100 strangers sharing a family name, an insurance number, a
    /// phone and an address (the load driver's Patients at 1,000,000). EM took those groups for the matches: given name
    /// agreement came out as evidence against a match (−18.7 bits), and $match ranked the Patient itself below its
    /// namesakes. Agreement on a field is never evidence against a match; such a fit is not used.
    /// </summary>
    [Fact]
    public void Estimate_StrangersSharingHouseholdFields_ExactAgreementNeverCountsAgainst()
    {
        using var index = new BlockingIndex();
        for (int n = 0; n < 60_000; n++)
        {
            index.Upsert(Record(n, period: 600), 1);
        }

        FieldProbabilities fitted = PopulationFit.Estimate(index);

        for (int f = 0; f < FieldLevels.FieldCount; f++)
        {
            if (fitted.Active[f] && EmEstimator.ClassifyingFields[f])
            {
                Assert.True(fitted.M[f, 1] >= fitted.U[f, 1], $"{(ComparedField)f}: exact agreement weighs {Math.Log2(fitted.M[f, 1] / fitted.U[f, 1]):F2} bits");
            }
        }

        IReadOnlyList<BlockingIndex.Match> found = index.Query(Record(5, period: 600, id: "query"), new MatchModel(fitted, [], []), new MatchThresholds(0.95, 0.5, 0.1));
        Assert.Equal("p5", found[0].Id);
    }

    /// <summary>The check does not throw away good fits: a region with real duplicates keeps the m EM found in it.</summary>
    [Fact]
    public void Estimate_RegionWithDuplicates_KeepsTheFittedModel()
    {
        using var index = new BlockingIndex();
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = 3000, Seed = 3 });
        int n = 0;
        foreach (Patient patient in generator.GenerateResidents().SelectMany(h => h.Bundle.Entry).Select(e => e.Resource).OfType<Patient>())
        {
            index.Upsert(PersonRecordBuilder.Build(PatientDemographics.From(patient) with { Id = "r" + n++ }, Today), 1);
        }

        FieldProbabilities fitted = PopulationFit.Estimate(index);

        Assert.NotEqual(PriorProbabilities.WithPriorM(fitted).M[(int)ComparedField.Given, 1], fitted.M[(int)ComparedField.Given, 1]);
    }

    private static PersonRecord Record(int n, int period, string? id = null) => PersonRecordBuilder.Build(
        new Demographics
        {
            Id = id ?? "p" + n,
            Names = [new NameParts(null, Families[n % period % 8] + (n % period), [Givens[n / 8 % 8] + (n % 997)])],
            BirthDate = new DateOnly(1930, 1, 1).AddDays(n * 7919 % 32000).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Sex = n % 2 == 0 ? AdministrativeSex.Female : AdministrativeSex.Male,
            Phones = ["555-" + (n % period).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)],
            Addresses = [new AddressParts([(n % period) + 1 + " Harbour Road"], "District " + (n % period % 12), "Springfield", null, (10000 + (n % period)).ToString(System.Globalization.CultureInfo.InvariantCulture), null)],
            Identifiers =
            [
                new RawIdentifier("http://openhip.org/sid/bench-mrn", "MRN" + n),
                new RawIdentifier("http://hl7.org/fhir/sid/us-ssn", "999-" + (n % period).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)),
            ],
        },
        Today);
}
