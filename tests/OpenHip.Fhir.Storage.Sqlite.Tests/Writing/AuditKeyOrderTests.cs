using System.Globalization;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Fhir.Storage.Sqlite.Writing;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Writing;

public sealed class AuditKeyOrderTests
{
    public static TheoryData<string> Shapes => ["bench", "uuid", "prefixes", "beyond-window", "unicode", "one-patient"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sort_GivesTheKeysOrder(string shape)
    {
        var random = new Random(shape.Sum(c => c));
        foreach (int count in new[] { 0, 1, 2, 7, 300, 2_000 })
        {
            List<AuditPatientKey> keys = [.. Enumerable.Range(0, count).Select(_ => new AuditPatientKey(Id(shape, random), random.Next(50), random.Next(1_000_000)))];
            List<AuditPatientKey> expected = [.. keys];
            expected.Sort();

            AuditKeyOrder.Sort(keys);

            Assert.Equal(expected, keys);
        }
    }

    [Fact]
    public void Sort_IdsThatEndWhereOthersGoOnWithAZeroUnit_PutsTheShorterFirst()
    {
        List<AuditPatientKey> keys = [new("ab\0", 1, 1), new("ab", 2, 2), new("ab\0\0", 0, 3), new("ab", 1, 4), new("a", 9, 5)];

        AuditKeyOrder.Sort(keys);

        Assert.Equal(["a", "ab", "ab", "ab\0", "ab\0\0"], keys.Select(k => k.Patient));
        Assert.Equal([5L, 4, 2, 1, 3], keys.Select(k => k.Aid));
    }

    private static string Id(string shape, Random random) => shape switch
    {
        "bench" => "bench-" + random.Next(5_000).ToString("D7", CultureInfo.InvariantCulture),
        "uuid" => new Guid(random.NextBytes(16)).ToString(),
        "prefixes" => new string('p', random.Next(1, 9)) + (random.Next(3) == 0 ? "" : "\0" + random.Next(3).ToString(CultureInfo.InvariantCulture)),
        "beyond-window" => (random.Next(2) == 0 ? "x" : "y") + "abcd" + random.Next(40).ToString(CultureInfo.InvariantCulture),
        "unicode" => string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Units[random.Next(Units.Length)])),
        _ => "the-one",
    };

    private static readonly string[] Units = ["a", "z", "\uE000", "\uFFFF", "\U0001F600", "\u00E9", "\0", "\uD800"];
}

file static class RandomBytes
{
    public static byte[] NextBytes(this Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
