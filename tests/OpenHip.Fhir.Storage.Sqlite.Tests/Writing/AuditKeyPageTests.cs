using OpenHip.Fhir.Storage.Relational.Audit;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Writing;

public sealed class AuditKeyPageTests
{
    [Fact]
    public void Encode_ThenDecode_GivesTheSameKeysInOrder()
    {
        var random = new Random(7);
        AuditPatientKey[] keys = [.. Enumerable.Range(0, AuditKeyPage.MaxKeys)
            .Select(_ => new AuditPatientKey(
                "0192f5a4-" + random.Next(40).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "-7c3d",
                1_767_225_600_000 + random.Next(1_000_000),
                random.NextInt64(1, 10_000_000)))
            .Distinct().Order()];

        var decoded = new List<AuditPatientKey>();
        AuditKeyPage.Decode(AuditKeyPage.Encode(keys), decoded);

        Assert.Equal(keys, decoded);
    }

    [Fact]
    public void Encode_NeighbouringIds_SharesTheirCommonPrefix()
    {
        AuditPatientKey[] keys = [.. Enumerable.Range(0, 100).Select(i => new AuditPatientKey($"0192f5a4-7b1e-7c3d-9a2b-5e6f7a8b{i:D4}", 1_767_225_600_000 + i, 1_000 + i))];

        byte[] page = AuditKeyPage.Encode(keys);

        // Each key: shared 32, rest 4 ("0042"), time +1, id +1 -> 8 bytes, against 36 for the id alone.
        Assert.True(page.Length < 100 * 12, $"{page.Length} bytes for 100 keys");
    }

    [Fact]
    public void Decode_KeysOfEarlierTimeAndSmallerIdAfterALargerOne_KeepsTheirValues()
    {
        // Keys are ordered by patient first, so time and id may go down from one key to the next.
        AuditPatientKey[] keys = [new("a", 5_000, 900), new("b", 1_000, 3), new("b", 1_000, 4), new("c", 0, 1)];

        var decoded = new List<AuditPatientKey>();
        AuditKeyPage.Decode(AuditKeyPage.Encode(keys), decoded);

        Assert.Equal(keys, decoded);
    }

    [Fact]
    public void Encode_KeysOutOfOrderOrRepeated_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => AuditKeyPage.Encode([new("b", 1, 1), new("a", 1, 1)]));
        Assert.Throws<ArgumentException>(() => AuditKeyPage.Encode([new("a", 1, 1), new("a", 1, 1)]));
        Assert.Throws<ArgumentException>(() => AuditKeyPage.Encode([]));
    }

    [Fact]
    public void Decode_EveryTruncationOrAppendedByte_IsAFormatError()
    {
        byte[] page = AuditKeyPage.Encode([new("patient-1", 10, 1), new("patient-2", 20, 2), new("patient-20", 20, 3)]);

        for (int length = 0; length < page.Length; length++)
        {
            Assert.Throws<FormatException>(() => AuditKeyPage.Decode(page.AsSpan(0, length), []));
        }

        Assert.Throws<FormatException>(() => AuditKeyPage.Decode([.. page, 0], []));
        Assert.Throws<FormatException>(() => AuditKeyPage.Decode([2, .. page[1..]], []));
    }
}
