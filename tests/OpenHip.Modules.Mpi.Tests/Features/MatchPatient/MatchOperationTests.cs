using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Requests;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.MatchPatient;

/// <summary>$match against a real SQLite store holding a small region, through the in-memory blocking index.</summary>
public sealed class MatchOperationTests : IAsyncLifetime
{
    private const string Base = "http://localhost/fhir";

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
    private static readonly string[] GivenNames = ["芳", "娜", "敏", "静", "秀英", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明"];

    private MpiHarness _mpi = null!;
    private MatchOperation _operation = null!;

    public async Task InitializeAsync()
    {
        _mpi = await MpiHarness.StartAsync();
        _operation = _mpi.Services.GetServices<IFhirOperation>().OfType<MatchOperation>().Single();

        // A small region: 120 residents, a third of them registered twice (as another hospital would).
        var random = new Random(5);
        for (int i = 0; i < 120; i++)
        {
            DateOnly birth = new DateOnly(1940, 1, 1).AddDays(random.Next(0, 25_000));
            bool male = random.Next(2) == 0;
            string family = Surnames[random.Next(Surnames.Length)];
            string given = GivenNames[random.Next(GivenNames.Length)];
            string id = ResidentId("330106", birth, (random.Next(1, 499) * 2) + (male ? 1 : 0));
            await _mpi.CreateAsync(Resident(family, given, birth, male, id, $"139{random.Next(10_000_000, 99_999_999)}"));
            if (i % 3 == 0)
            {
                await _mpi.CreateAsync(Resident(family, given, birth, male, id, null));
            }
        }
    }

    public async Task DisposeAsync() => await _mpi.DisposeAsync();

    [Fact]
    public async Task Match_TraditionalCharactersSameValidId_IsCertainAndExplained()
    {
        string id = ResidentId("330106", new DateOnly(1987, 3, 12), 17);
        string stored = await _mpi.CreateAsync(Resident("张", "伟", new DateOnly(1987, 3, 12), true, id, "13812345678"));

        Bundle bundle = await MatchAsync(Input(Resident("張", "偉", new DateOnly(1987, 3, 12), true, id, null)));

        Bundle.EntryComponent best = bundle.Entry[0];
        Assert.Equal($"{Base}/Patient/{stored}", best.FullUrl);
        Assert.Equal(Bundle.SearchEntryMode.Match, best.Search!.Mode);
        Assert.True(best.Search.Score >= 0.95m);
        Assert.Equal("certain", Grade(best));
        Assert.Contains(best.Search.Extension.Where(e => e.Url == MatchBundle.EvidenceExtension), e => e.GetExtensionValue<Code>("field")?.Value == "nationalId");
    }

    [Fact]
    public async Task Match_SameNameAndBirthDateButAnotherValidId_IsNeverCertain()
    {
        // The 张伟 registered at three hospitals is one person; two other 张伟 born the same day are not.
        var birth = new DateOnly(1987, 3, 12);
        await _mpi.CreateAsync(Resident("张", "伟", birth, true, ResidentId("330106", birth, 17), "13812345678"));

        Bundle bundle = await MatchAsync(Input(Resident("张", "伟", birth, true, ResidentId("330106", birth, 19), "13812345678")));

        Assert.NotEmpty(bundle.Entry);
        Assert.All(bundle.Entry, e => Assert.NotEqual("certain", Grade(e)));
    }

    [Fact]
    public async Task Match_OnlyCertainMatchesAndCount_AreHonoured()
    {
        var birth = new DateOnly(1990, 5, 1);
        string id = ResidentId("330106", birth, 23);
        await _mpi.CreateAsync(Resident("陈", "明", birth, true, id, "13900000001"));
        await _mpi.CreateAsync(Resident("陈", "铭", birth, true, null, "13900000001")); // homophone, no ID: probable at best
        Parameters input = Input(Resident("陈", "明", birth, true, id, "13900000001"));

        Bundle all = await MatchAsync(input);
        Bundle certain = await MatchAsync(Input(Resident("陈", "明", birth, true, id, "13900000001"), onlyCertain: true));
        Bundle one = await MatchAsync(Input(Resident("陈", "明", birth, true, id, "13900000001"), count: 1));

        Assert.True(all.Entry.Count >= 2);
        Assert.All(certain.Entry, e => Assert.Equal("certain", Grade(e)));
        Assert.Single(one.Entry);
        Assert.Equal(all.Entry[0].FullUrl, one.Entry[0].FullUrl);
    }

    [Fact]
    public async Task Match_NoResource_IsBadRequestNamingTheParameter()
    {
        FhirException e = await Assert.ThrowsAsync<FhirException>(() => _operation.ExecuteAsync(Request(new Parameters()), CancellationToken.None));

        Assert.Equal(FhirErrorKind.BadRequest, e.Kind);
        Assert.Contains("resource", e.Issues[0].Expression ?? e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_ResourceNotAPatient_IsBadRequest()
    {
        var input = new Parameters();
        input.Add("resource", new Observation());

        FhirException e = await Assert.ThrowsAsync<FhirException>(() => _operation.ExecuteAsync(Request(input), CancellationToken.None));

        Assert.Equal(FhirErrorKind.BadRequest, e.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Match_NonPositiveCount_IsBadRequest(int count)
    {
        FhirException e = await Assert.ThrowsAsync<FhirException>(() => _operation.ExecuteAsync(Request(Input(new Patient(), count: count)), CancellationToken.None));

        Assert.Equal(FhirErrorKind.BadRequest, e.Kind);
    }

    [Fact]
    public async Task Match_OnAnotherType_IsBadRequest()
    {
        FhirException e = await Assert.ThrowsAsync<FhirException>(() =>
            _operation.ExecuteAsync(Request(Input(new Patient())) with { Type = "Observation" }, CancellationToken.None));

        Assert.Equal(FhirErrorKind.BadRequest, e.Kind);
    }

    private static string? Grade(Bundle.EntryComponent entry) => entry.Search!.GetExtensionValue<Code>(MatchBundle.MatchGradeExtension)?.Value;

    [Fact]
    public async Task Match_TwoCandidatesBothAtProbabilityOne_TheOneAgreeingOnMoreComesFirst()
    {
        // Everything agrees for the first; the second differs in its phone only. Both match weights are far past what
        // a double distinguishes from probability 1, so only the weight can order them.
        var birth = new DateOnly(1979, 8, 30);
        string id = ResidentId("330106", birth, 41);
        Patient Full(string phone)
        {
            Patient patient = Resident("欧阳", "娜娜", birth, true, id, phone);
            patient.Identifier.Add(new Identifier("http://openhip.org/sid/mrn/org-9", "MRN-7731"));
            patient.Identifier.Add(new Identifier("http://openhip.org/sid/cn-medical-insurance", "YB3301067731"));
            patient.Address.Add(new Address { Line = ["文三路 478 号 3 幢 1201 室"], District = "西湖区", City = "杭州市", PostalCode = "310012" });
            return patient;
        }

        string lessAlike = await _mpi.CreateAsync(Full("13900007731"));
        string same = await _mpi.CreateAsync(Full("13800007731"));

        Bundle bundle = await MatchAsync(Input(Full("13800007731"), count: 2));

        Assert.All(bundle.Entry, e => Assert.Equal(1m, e.Search!.Score));
        Assert.Equal([$"{Base}/Patient/{same}", $"{Base}/Patient/{lessAlike}"], bundle.Entry.Select(e => e.FullUrl));
    }

    private async Task<Bundle> MatchAsync(Parameters input)
    {
        OperationResult result = await _operation.ExecuteAsync(Request(input), CancellationToken.None);
        Assert.Equal(200, result.Status);
        return Assert.IsType<Bundle>(result.Resource);
    }

    private static OperationRequest Request(Resource body) =>
        new(OperationLevel.Type, "Patient", null, body, new Dictionary<string, string[]>(), new FhirRequestContext(Base));

    private static Parameters Input(Patient patient, bool onlyCertain = false, int? count = null)
    {
        var input = new Parameters();
        input.Add("resource", patient);
        if (onlyCertain)
        {
            input.Add("onlyCertainMatches", new FhirBoolean(true));
        }

        if (count is not null)
        {
            input.Add("count", new Integer(count));
        }

        return input;
    }

    private static string ResidentId(string division, DateOnly birth, int sequence)
    {
        string body = division + birth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + sequence.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        return body + Mod11Check.CheckCharacter(body);
    }

    private static Patient Resident(string family, string given, DateOnly birth, bool male, string? id, string? phone)
    {
        var patient = new Patient
        {
            Name = [new HumanName { Text = family + given, Family = family, Given = [given] }],
            BirthDate = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Gender = male ? AdministrativeGender.Male : AdministrativeGender.Female,
        };
        if (id is not null)
        {
            patient.Identifier.Add(new Identifier(IdentifierSystems.ResidentId, id));
        }

        if (phone is not null)
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, phone));
        }

        var address = new Address { City = "杭州市", District = "西湖区" };
        address.Extension.Add(new Extension(PatientDemographics.DivisionCodeExtension, new Code("330106")));
        patient.Address.Add(address);
        return patient;
    }
}
