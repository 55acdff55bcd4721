using System.Buffers;
using System.Text;
using OpenHip.Fhir.Audit;
using Xunit;

namespace OpenHip.Fhir.Tests.Audit;

public sealed class CompactEncodingTests
{
    public static TheoryData<string, int> Strings() => new()
    {
        { "a", 0 }, { "a", 1 }, { "a", 41 }, { "a", 42 }, { "a", 43 }, { "a", 127 }, { "a", 300 },
        { "居", 42 }, { "居", 43 }, { "😀", 21 }, { "😀", 22 }, { "é", 42 },
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void WriteString_AnyLength_IsItsUtf8LengthPlusOneThenItsBytes(string unit, int times)
    {
        string value = string.Concat(Enumerable.Repeat(unit, times));
        var buffer = new ArrayBufferWriter<byte>();

        CompactEncoding.WriteString(buffer, value);

        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        var expected = new ArrayBufferWriter<byte>();
        CompactEncoding.WriteVarint(expected, (uint)utf8.Length + 1);
        expected.Write(utf8);
        Assert.Equal(expected.WrittenSpan.ToArray(), buffer.WrittenSpan.ToArray());
        int at = 0;
        Assert.Equal(value, CompactEncoding.ReadString(buffer.WrittenSpan, ref at));
        Assert.Equal(buffer.WrittenCount, at);
    }
}
