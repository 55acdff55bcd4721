using Hl7.Fhir.Model;
using OpenHip.Modules.Mpi.Features.Linking;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Features.Linking;

public sealed class SurvivorshipTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly MemberPatient[] Members =
    [
        Member("p1", "王", "1980-01-01", "13800000001", "http://clinic.example", Monday),
        Member("p2", "汪", "1980-01-01", "13800000002", "http://hospital.example", Monday.AddDays(1)),
        Member("p3", "王", "1980-10-01", "13800000003", "http://pharmacy.example", Monday.AddDays(2)),
    ];

    [Fact]
    public void Apply_MostRecent_TakesTheLatestMembersValue()
    {
        Person person = Apply(new SurvivorshipOptions { Telecom = SurvivorshipRule.MostRecent });

        Assert.Equal("13800000003", Assert.Single(person.Telecom).Value);
    }

    [Fact]
    public void Apply_MostFrequent_TakesTheValueMostMembersShare()
    {
        Person person = Apply(new SurvivorshipOptions { BirthDate = SurvivorshipRule.MostFrequent, Name = SurvivorshipRule.MostFrequent });

        Assert.Equal("1980-01-01", person.BirthDate);
        Assert.Equal("王", person.Name[0].Family);
    }

    [Fact]
    public void Apply_SourcePriority_TakesTheMostTrustedInstitution()
    {
        Person person = Apply(new SurvivorshipOptions { Name = SurvivorshipRule.SourcePriority, SourcePriority = ["http://hospital.example", "http://clinic.example"] });

        Assert.Equal("汪", person.Name[0].Family);
    }

    [Fact]
    public void Apply_SourcePriorityWithNoListedSource_FallsBackToMostRecent()
    {
        Person person = Apply(new SurvivorshipOptions { Name = SurvivorshipRule.SourcePriority, SourcePriority = ["http://elsewhere.example"] });

        Assert.Equal("王", person.Name[0].Family);
        Assert.Equal("1980-10-01", Apply(new SurvivorshipOptions { BirthDate = SurvivorshipRule.SourcePriority }).BirthDate);
    }

    [Fact]
    public void Apply_Identifiers_AreTheUnionOfEveryMembersOnce()
    {
        Person person = Apply(new SurvivorshipOptions());

        Assert.Equal(["A-p1", "A-p2", "A-p3", "shared"], person.Identifier.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    private static Person Apply(SurvivorshipOptions rules)
    {
        var person = new Person();
        Survivorship.Apply(person, Members, rules);
        return person;
    }

    private static MemberPatient Member(string id, string family, string birthDate, string phone, string source, DateTimeOffset updated) => new(
        new Patient
        {
            Id = id,
            Meta = new Meta { Source = source },
            Name = [new HumanName { Family = family, Given = ["明"] }],
            BirthDate = birthDate,
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, phone)],
            Identifier = [new Identifier("http://openhip.org/sid/mrn/a", "A-" + id), new Identifier("http://openhip.org/sid/cn-ehc", "shared")],
        },
        updated);
}
