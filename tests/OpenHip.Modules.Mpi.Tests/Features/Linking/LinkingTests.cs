using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Features.Linking;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.Linking;

/// <summary>Linking in the write path over a real SQLite store: creates and updates through the engine, the outbox handed to the consumer.</summary>
public sealed class LinkingTests
{
    private static readonly string ZhangId = Residents.ResidentId("330106", new DateOnly(1987, 3, 12), 17);

    [Fact]
    public async Task Link_SamePersonAtTwoHospitals_OneGoldenPersonLinkingBoth()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        string a = await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, ZhangId, "13812345678", mrn: "A-1"));
        string b = await mpi.CreateAsync(Residents.Patient("張", "偉", "1987-03-12", true, ZhangId, mrn: "B-7", source: "http://hospital-b.example/fhir"));
        string other = await mpi.CreateAsync(Residents.Patient("李", "娜", "1990-07-01", false, Residents.ResidentId("330106", new DateOnly(1990, 7, 1), 22)));

        await mpi.DrainAsync();

        List<Person> persons = await mpi.AllAsync<Person>();
        Assert.Equal(2, persons.Count);
        Person zhang = Assert.Single(persons, p => p.Link.Count == 2);
        Assert.Equal([$"Patient/{a}", $"Patient/{b}"], zhang.Link.Select(l => l.Target.Reference).Order(StringComparer.Ordinal));
        Assert.All(zhang.Link, l => Assert.Equal(Person.IdentityAssuranceLevel.Level3, l.Assurance));
        Assert.Equal("http://openhip.org/fhir/mpi", zhang.Meta?.Source);
        Assert.Equal([ZhangId, "A-1", "B-7"], zhang.Identifier.Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Equal("1987-03-12", zhang.BirthDate);
        Assert.Equal($"Patient/{other}", Assert.Single(persons, p => p.Link.Count == 1).Link[0].Target.Reference);
    }

    [Fact]
    public async Task Link_DuplicatesCommittedBeforeEitherIsLinked_LinkedWithoutAReviewOfTheirPair()
    {
        // Both are in the index before the first is linked, which then found the second in no Person yet.
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, ZhangId, "13812345678", mrn: "A-1"));
        await mpi.CreateAsync(Residents.Patient("張", "偉", "1987-03-12", true, ZhangId, mrn: "B-7", source: "http://hospital-b.example/fhir"));

        await mpi.DrainAsync();

        Assert.Equal(2, Assert.Single(await mpi.AllAsync<Person>()).Link.Count);
        Assert.Empty(await mpi.AllAsync<Hl7.Fhir.Model.Task>());
    }

    [Fact]
    public async Task Link_SameEventsDeliveredAgain_ChangesNothing()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, ZhangId, "13812345678"));
        await mpi.CreateAsync(Residents.Patient("張", "偉", "1987-03-12", true, ZhangId));
        IReadOnlyList<OutboxEvent> events = await mpi.DrainAsync();
        SortedDictionary<string, string> before = await mpi.SnapshotAsync();
        OutboxPosition head = await mpi.Store.ReadOutboxHeadAsync(CancellationToken.None);

        await mpi.Consumer.HandleAsync(events, CancellationToken.None);
        await mpi.Consumer.HandleAsync([.. events.Reverse()], CancellationToken.None);

        Assert.Equal(before, await mpi.SnapshotAsync());
        Assert.Equal(head, await mpi.Store.ReadOutboxHeadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Link_UpdateGivesTheLaterRecordAnotherIdentity_MachineLinkUndone()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, ZhangId, "13812345678"));
        Patient second = Residents.Patient("張", "偉", "1987-03-12", true, ZhangId);
        second.Id = await mpi.CreateAsync(second);
        await mpi.DrainAsync();
        Assert.Single(await mpi.AllAsync<Person>());

        Patient corrected = Residents.Patient("赵", "敏", "1961-11-30", false, Residents.ResidentId("110105", new DateOnly(1961, 11, 30), 48));
        corrected.Id = second.Id;
        await mpi.UpdateAsync(corrected);
        await mpi.DrainAsync();

        List<Person> persons = await mpi.AllAsync<Person>();
        Assert.Equal(2, persons.Count);
        Assert.All(persons, p => Assert.Single(p.Link));
        Assert.Equal("1961-11-30", Assert.Single(persons, p => p.Link[0].Target.Reference == $"Patient/{second.Id}").BirthDate);
    }

    [Fact]
    public async Task Link_PatientDeleted_LeavesAndEmptiedPersonGoes()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        string a = await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, ZhangId));
        await mpi.DrainAsync();
        Assert.Single(await mpi.AllAsync<Person>());

        await mpi.Resources.DeleteAsync("Patient", a, null, MpiHarness.Context, CancellationToken.None);
        await mpi.DrainAsync();

        Assert.Empty(await mpi.AllAsync<Person>());
    }

    [Fact]
    public async Task Link_TwoValidIdsThatDiffer_NeverAutoLinkedButQueuedForReview()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, ZhangId, "13812345678"));
        await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, Residents.ResidentId("330106", new DateOnly(1987, 3, 12), 19), "13812345678"));

        await mpi.DrainAsync();

        Assert.Equal(2, (await mpi.AllAsync<Person>()).Count);
        Assert.Single(await mpi.AllAsync<Hl7.Fhir.Model.Task>());
    }
}
