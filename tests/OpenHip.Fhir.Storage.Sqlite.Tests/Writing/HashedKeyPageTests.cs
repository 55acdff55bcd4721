using OpenHip.Fhir.Storage.Relational.Audit;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Writing;

public sealed class HashedKeyPageTests
{
    [Fact]
    public void Of_AnId_IsTheHashEveryStoredKeyHolds()
    {
        // Pinned: a different function would hide every key written before it from its patient. The values are the
        // reference implementation's (xxhash 3.2 through python3-xxhash) over the ids' UTF-16LE bytes.
        Assert.Equal(-1_736_341_550_116_218_754L, HashedPatientKey.Of("p1"));
        Assert.Equal(-7_384_915_025_201_242_128L, HashedPatientKey.Of("0192f5a4-7b1e-7c3d-9a2b-5e6f7a8b0042"));
        Assert.NotEqual(HashedPatientKey.Of("p1"), HashedPatientKey.Of("p2"));
    }

    [Fact]
    public void Encode_ThenDecode_GivesTheSameKeysInOrder()
    {
        var random = new Random(7);
        long[] patients = [long.MinValue, long.MinValue + 1, -1, 0, 1, long.MaxValue, .. Enumerable.Range(0, 40).Select(_ => random.NextInt64(long.MinValue, long.MaxValue))];
        HashedPatientKey[] keys = [.. Enumerable.Range(0, HashedKeyPage.MaxKeys)
            .Select(_ => new HashedPatientKey(patients[random.Next(patients.Length)], 1_767_225_600_000 + random.Next(1_000_000), random.NextInt64(1, 10_000_000)))
            .Distinct().Order()];

        var decoded = new List<HashedPatientKey>();
        byte[] page = new byte[HashedKeyPage.MaxBytes];
        HashedKeyPage.Decode(page.AsSpan(0, HashedKeyPage.Encode(keys, page)), decoded);

        Assert.Equal(keys, decoded);
    }

    [Fact]
    public void Encode_APatientsKeys_TakeAFewBytesEach()
    {
        HashedPatientKey[] keys = [.. Enumerable.Range(0, 100).Select(i => new HashedPatientKey(HashedPatientKey.Of("p1"), 1_767_225_600_000 + i, 1_000 + i))];

        int length = HashedKeyPage.Encode(keys, new byte[HashedKeyPage.MaxBytes]);

        // The first key ~20 bytes; each after it: patient +0, time +1, id +1 -> 3 bytes.
        Assert.InRange(length, 2 + (99 * 3), 2 + (99 * 3) + 30);
    }

    [Fact]
    public void Encode_KeysOutOfOrderOrRepeatedOrNone_IsRefused()
    {
        byte[] page = new byte[HashedKeyPage.MaxBytes];
        Assert.Throws<ArgumentException>(() => HashedKeyPage.Encode([new(2, 1, 1), new(-1, 1, 1)], page));
        Assert.Throws<ArgumentException>(() => HashedKeyPage.Encode([new(1, 1, 1), new(1, 1, 1)], page));
        Assert.Throws<ArgumentException>(() => HashedKeyPage.Encode([], page));
        Assert.Throws<ArgumentOutOfRangeException>(() => HashedKeyPage.Encode([new(1, 1, 1)], new byte[16]));
    }

    [Fact]
    public void Decode_EveryTruncationAppendedByteOtherFormatOrKeysOutOfOrder_IsAFormatError()
    {
        byte[] buffer = new byte[HashedKeyPage.MaxBytes];
        byte[] page = buffer[..HashedKeyPage.Encode([new(-7, 10, 1), new(3, 20, 2), new(3, 20, 3)], buffer)];

        for (int length = 0; length < page.Length; length++)
        {
            Assert.Throws<FormatException>(() => HashedKeyPage.Decode(page.AsSpan(0, length), []));
        }

        Assert.Throws<FormatException>(() => HashedKeyPage.Decode([.. page, 0], []));
        Assert.Throws<FormatException>(() => HashedKeyPage.Decode([1, .. page[1..]], []));

        // Two keys, the second's deltas all zero: the same key twice.
        Assert.Throws<FormatException>(() => HashedKeyPage.Decode([2, 2, 5, 2, 2, 0, 0, 0], []));
    }
}
