using System.Text;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class AuditPayloadTests
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2026, 11, 27, 8, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567);

    private static AuditRecord Everything() =>
        new(When, "search-type", "dr-zhang@clinic-12", "http://openhip.org/fhir/Organization/clinic-12", "Observation", ["p-1", "p-2", "王芳"], 200, "0HNQ:00000001")
        {
            Priority = AuditPriority.High,
            ClientId = "his-12",
            User = "Practitioner/zhang",
            PurposeOfUse = ["TREAT", "ETREAT"],
            NetworkAddress = "10.1.2.3",
            Query = "code=http://loinc.org|8310-5&_count=50",
        };

    [Fact]
    public void Write_IsTheBinaryVersion_AndEveryFieldReadsBack()
    {
        AuditRecord record = Everything();

        byte[] payload = AuditPayload.Write(record);
        AuditRecord read = AuditPayload.Read(payload);

        Assert.Equal(BinaryAuditPayload.Version, payload[0]);
        Assert.Equal(record.When, read.When);
        Assert.Equal(record.When.UtcTicks, read.When.UtcTicks);
        Assert.Equal(
            (record.Interaction, record.Who, record.Source, record.Resource, record.Outcome, record.CorrelationId, record.Priority),
            (read.Interaction, read.Who, read.Source, read.Resource, read.Outcome, read.CorrelationId, read.Priority));
        Assert.Equal(
            (record.ClientId, record.User, record.NetworkAddress, record.Query),
            (read.ClientId, read.User, read.NetworkAddress, read.Query));
        Assert.Equal(record.Patients, read.Patients);
        Assert.Equal(record.PurposeOfUse, read.PurposeOfUse);
    }

    [Fact]
    public void Version3_SameLayoutChainedTheOldWay_StillReads()
    {
        byte[] payload = AuditPayload.Write(Everything());

        AuditRecord read = AuditPayload.Read([3, .. payload.AsSpan(1)]);

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(AuditPayload.Read(payload)), System.Text.Json.JsonSerializer.Serialize(read));
    }

    [Fact]
    public void Write_OfARecordWithNothingOptional_ReadsBackAsNothing()
    {
        var record = new AuditRecord(When, "capabilities", null, null, null, [], 200, null);

        AuditRecord read = AuditPayload.Read(AuditPayload.Write(record));

        Assert.Equal(("capabilities", null, null, null, null, AuditPriority.Normal), (read.Interaction, read.Who, read.Source, read.Resource, read.CorrelationId, read.Priority));
        Assert.Equal((null, null, null, null), (read.ClientId, read.User, read.NetworkAddress, read.Query));
        Assert.Empty(read.Patients);
        Assert.Empty(read.PurposeOfUse);
    }

    [Theory]
    [InlineData("Patient/p-7", "p-7")]
    [InlineData("Patient/p-7/_history/3", "p-7")]
    public void Write_OfAReadOfAPatient_KeepsItsIdOnce_AndReadsItBackAsThePatient(string resource, string patient)
    {
        AuditRecord record = Everything() with { Interaction = "read", Resource = resource, Patients = [patient], Query = null };

        byte[] payload = AuditPayload.Write(record);

        Assert.Equal(1, Occurrences(payload, Encoding.UTF8.GetBytes(patient)));
        Assert.Equal([patient], AuditPayload.Read(payload).Patients);
    }

    [Theory]
    [InlineData("Patient/p-7", "p-70")]
    [InlineData("Patient/p-70", "p-7")]
    [InlineData("Observation/p-7", "p-7")]
    public void Write_OfAPatientOtherThanTheResources_KeepsBoth(string resource, string patient)
    {
        AuditRecord record = Everything() with { Resource = resource, Patients = [patient] };

        AuditRecord read = AuditPayload.Read(AuditPayload.Write(record));

        Assert.Equal(resource, read.Resource);
        Assert.Equal([patient], read.Patients);
    }

    [Fact]
    public void Write_OfATypicalRead_IsFarSmallerThanTheJsonItReplaced()
    {
        AuditRecord record = Everything() with { Interaction = "read", Resource = "Patient/0192f5a4-1111-7c3d-9a2b-5e6f7a8b9c0d", Patients = ["0192f5a4-1111-7c3d-9a2b-5e6f7a8b9c0d"], Query = null, PurposeOfUse = [] };
        const string Json =
            """{"v":2,"when":"2026-11-27T00:30:15.1234567+00:00","interaction":"read","who":"dr-zhang@clinic-12","source":"http://openhip.org/fhir/Organization/clinic-12","resource":"Patient/0192f5a4-1111-7c3d-9a2b-5e6f7a8b9c0d","patients":["0192f5a4-1111-7c3d-9a2b-5e6f7a8b9c0d"],"outcome":200,"correlation":"0HNQ:00000001","priority":"high","client":"his-12","user":"Practitioner/zhang","address":"10.1.2.3"}""";

        Assert.True(AuditPayload.Write(record).Length * 2 < Encoding.UTF8.GetByteCount(Json));
    }

    [Fact]
    public void Read_OfVersion2Json_AsEarlierServersWroteIt_StillGivesEveryField()
    {
        AuditRecord read = AuditPayload.Read(
            """{"v":2,"when":"2026-11-27T00:30:15.1234567+00:00","interaction":"read","who":"dr-zhang","source":"urn:s","resource":"Patient/p-7","patients":["p-7"],"outcome":200,"correlation":"c-1","priority":"high","client":"his-12","user":"Practitioner/zhang","purpose":["TREAT"],"address":"10.1.2.3","query":"a=b"}"""u8);

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 30, 15, TimeSpan.Zero).AddTicks(1_234_567), read.When);
        Assert.Equal(("read", "dr-zhang", "urn:s", "Patient/p-7", 200, "c-1", AuditPriority.High), (read.Interaction, read.Who, read.Source, read.Resource, read.Outcome, read.CorrelationId, read.Priority));
        Assert.Equal(("his-12", "Practitioner/zhang", "10.1.2.3", "a=b"), (read.ClientId, read.User, read.NetworkAddress, read.Query));
        Assert.Equal(["p-7"], read.Patients);
        Assert.Equal(["TREAT"], read.PurposeOfUse);
    }

    [Fact]
    public void Read_OfEveryTruncation_AndOfTrailingBytes_IsAFormatError()
    {
        byte[] payload = AuditPayload.Write(Everything());

        for (int length = 0; length < payload.Length; length++)
        {
            Assert.Throws<FormatException>(() => AuditPayload.Read(payload.AsSpan(0, length)));
        }

        Assert.Throws<FormatException>(() => AuditPayload.Read([.. payload, 0]));
    }

    [Fact]
    public void Read_OfGarbage_IsAFormatError_NeverAnotherException()
    {
        var random = new Random(9);
        byte[] payload = AuditPayload.Write(Everything());
        for (int i = 0; i < 5_000; i++)
        {
            byte[] damaged = [.. payload];
            damaged[random.Next(1, damaged.Length)] = (byte)random.Next(256);
            try
            {
                AuditPayload.Read(damaged);
            }
            catch (FormatException)
            {
            }
        }

        Assert.Throws<FormatException>(() => AuditPayload.Read("{\"v\":2,"u8));
        Assert.Throws<FormatException>(() => AuditPayload.Read("{\"v\":2}"u8));
    }

    private static int Occurrences(byte[] haystack, byte[] needle)
    {
        int count = 0;
        for (int i = haystack.AsSpan().IndexOf(needle); i >= 0; i = haystack.AsSpan(i + 1).IndexOf(needle) is int next and >= 0 ? i + 1 + next : -1)
        {
            count++;
        }

        return count;
    }
}
