using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class AuditPayloadTests
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2026, 11, 27, 8, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567);

    private const string Uuid = "0192f5a4-1111-7c3d-9a2b-5e6f7a8b9c0d";

    // Every packed form: a known interaction and type, a server id with a suffix, Kestrel's trace id, IPv6.
    private static AuditRecord Packed() =>
        new(When, "vread", "his-12", "urn:openhip:clinic-12", "Patient/" + Uuid + "/_history/2", [Uuid], 200, "0HNQDH6R1AI8D:00000001")
        {
            ClientId = "his-12",
            NetworkAddress = "2001:db8::1",
        };

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

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void EarlierVersions_EveryFieldAPlainString_StillRead(byte version)
    {
        AuditRecord record = Everything() with { CorrelationId = "0HNQDH6R1AI8D:00000001", Resource = "Patient/" + Uuid };

        AuditRecord read = AuditPayload.Read(EarlierAuditPayloads.Write(record, version));

        Assert.Equal(Json(record), Json(read));
    }

    [Theory]
    [InlineData(12, 3, 2 + 17)] // interaction: vread, then one past the table
    [InlineData(42, 4, 2 + (3 * 36))] // resource: Patient and a server id, then a type past the table
    [InlineData(71, 2, 3)] // correlation: Kestrel's, then an unknown form
    [InlineData(85, 6, 5)] // address: IPv6, then an unknown form
    public void Read_OfAPackedFormNoVersionKnows_IsAFormatError(int at, int tag, int unknown)
    {
        byte[] payload = AuditPayload.Write(Packed());
        Assert.Equal(tag, payload[at]);

        payload[at] = (byte)unknown;

        Assert.Throws<FormatException>(() => AuditPayload.Read(payload));
    }

    [Fact]
    public void Write_OfAServerRead_WithThePreviousHash_FillsTwoSm3Blocks()
    {
        // What AuditGate records for a read through a system client's token, on a server-assigned id.
        AuditRecord record = new(When, "read", "his-12", "urn:openhip:clinic-12", "Patient/" + Uuid, [Uuid], 200, "0HNQDH6R1AI8D:00000001")
        {
            ClientId = "his-12",
            NetworkAddress = "10.1.2.3",
        };

        byte[] payload = AuditPayload.Write(record);

        // SM3 pads with a 1 bit and a 64-bit length: 128 bytes of blocks hold 119 of input.
        Assert.InRange(AuditChainCrypto.HashSize + payload.Length, 0, 119);
        Assert.True(EarlierAuditPayloads.Write(record, 4).Length - payload.Length >= 40);
        Assert.Equal(Json(record), Json(AuditPayload.Read(payload)));
    }

    [Theory]
    [InlineData("read", true)]
    [InlineData("search-compartment", true)]
    [InlineData("break-the-glass", true)]
    [InlineData("$everything", false)]
    [InlineData("Read", false)]
    [InlineData("", false)]
    public void Write_OfAnInteraction_ReadsBackExactly_PackedWhenKnown(string interaction, bool packs) =>
        AssertField(Everything() with { Interaction = interaction }, interaction, packs, r => r.Interaction);

    [Theory]
    [InlineData("Observation", true)]
    [InlineData("Patient/p-7", true)]
    [InlineData("Observation/" + Uuid, true)]
    [InlineData("Patient/" + Uuid + "/_history/3", true)]
    [InlineData("Patient/" + Uuid + "x", true)]
    [InlineData("Patient/0192F5A4-1111-7C3D-9A2B-5E6F7A8B9C0D", true)]
    [InlineData("Patient/{0192f5a4-1111-7c3d-9a2b-5e6f7a8b9c0d}", true)]
    [InlineData("Patient/", true)]
    [InlineData("Patient//x", true)]
    [InlineData("Basic/b-1", false)]
    [InlineData("patient/p-7", false)]
    [InlineData("/p-7", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Write_OfAResource_ReadsBackExactly_PackedWhenItsTypeIsKnown(string? resource, bool packs) =>
        AssertField(Everything() with { Resource = resource, Patients = ["p-9"] }, resource, packs, r => r.Resource, resource?.Split('/')[0]);

    [Fact]
    public void Write_OfAServerAssignedId_KeepsItAsSixteenBytes()
    {
        byte[] uuid = AuditPayload.Write(Everything() with { Resource = "Observation/" + Uuid });
        byte[] text = AuditPayload.Write(Everything() with { Resource = "Observation/" + Uuid.ToUpperInvariant() });

        Assert.Equal(0, Occurrences(uuid, Encoding.UTF8.GetBytes(Uuid)));
        Assert.True(text.Length - uuid.Length >= 19);
    }

    [Theory]
    [InlineData("0HNQDH6R1AI8D:00000001", true)]
    [InlineData("FVVVVVVVVVVVV:FFFFFFFF", true)]
    [InlineData("0000000000000:00000000", true)]
    [InlineData("GHNQDH6R1AI8D:00000001", false)]
    [InlineData("0hnqdh6r1ai8d:00000001", false)]
    [InlineData("0HNQDH6R1AI8D:0000000a", false)]
    [InlineData("0HNQDH6R1AI8D-00000001", false)]
    [InlineData("0HNQDH6R1AI8D:000000001", false)]
    [InlineData("0HNQDH6R1AI8W:00000001", false)]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", false)]
    [InlineData(null, false)]
    public void Write_OfACorrelation_ReadsBackExactly_PackedWhenKestrelsTraceId(string? correlation, bool packs) =>
        AssertField(Everything() with { CorrelationId = correlation }, correlation, packs, r => r.CorrelationId);

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("::1", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("fe80::1%2", false)]
    [InlineData("2001:DB8::1", false)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("256.1.1.1", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("1..3.4", false)]
    [InlineData("1.2.3.", false)]
    [InlineData("127.000.0.1", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3", false)]
    [InlineData("localhost", false)]
    [InlineData(null, false)]
    public void Write_OfAnAddress_ReadsBackExactly_PackedWhenCanonical(string? address, bool packs) =>
        AssertField(Everything() with { NetworkAddress = address }, address, packs, r => r.NetworkAddress);

    [Theory]
    [InlineData("his-12", "his-12", 1)]
    [InlineData("his-12", "his-13", 1)]
    [InlineData(null, "his-12", 1)]
    [InlineData("his-12", null, 1)]
    public void Write_OfAClientThatIsTheCaller_KeepsItOnce(string? who, string? client, int occurrences)
    {
        AuditRecord record = Everything() with { Who = who, ClientId = client };

        byte[] payload = AuditPayload.Write(record);
        AuditRecord read = AuditPayload.Read(payload);

        Assert.Equal(occurrences, Occurrences(payload, "his-12"u8.ToArray()));
        Assert.Equal((who, client), (read.Who, read.ClientId));
    }

    [Fact]
    public void PackedTypes_AreResourceTypes_ThatATagByteCanName()
    {
        Assert.InRange(PackedAuditFields.TypeNames.Count, 1, PackedAuditFields.TypeCapacity);
        Assert.All(PackedAuditFields.TypeNames, t => Assert.True(ModelInfo.IsKnownResource(t), t));
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_OfEveryTruncation_AndOfTrailingBytes_IsAFormatError(bool packed)
    {
        byte[] payload = AuditPayload.Write(packed ? Packed() : Everything());

        for (int length = 0; length < payload.Length; length++)
        {
            Assert.Throws<FormatException>(() => AuditPayload.Read(payload.AsSpan(0, length)));
        }

        Assert.Throws<FormatException>(() => AuditPayload.Read([.. payload, 0]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_OfGarbage_IsAFormatError_NeverAnotherException(bool packed)
    {
        var random = new Random(9);
        byte[] payload = AuditPayload.Write(packed ? Packed() : Everything());
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

    private static void AssertField(AuditRecord record, string? value, bool packs, Func<AuditRecord, string?> field, string? packedText = null)
    {
        byte[] payload = AuditPayload.Write(record);

        Assert.Equal(value, field(AuditPayload.Read(payload)));
        Assert.Equal(Json(record), Json(AuditPayload.Read(payload)));
        if (!string.IsNullOrEmpty(value))
        {
            Assert.Equal(packs ? 0 : 1, Occurrences(payload, Encoding.UTF8.GetBytes(packs ? packedText ?? value : value)));
        }
    }

    private static string Json(AuditRecord record) => System.Text.Json.JsonSerializer.Serialize(record with { When = record.When.ToUniversalTime() });

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
