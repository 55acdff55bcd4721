using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

public sealed class CsvReaderTests
{
    [Fact]
    public void Read_QuotedCommasQuotesAndLineBreaks_KeepsFieldsAndStartingLines()
    {
        var reader = new CsvReader(new StringReader("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n\nlast,\n"), "t.csv");

        Assert.Equal("a|b@1", Text(reader.Read()));
        Assert.Equal("x, y|say \"hi\"@2", Text(reader.Read()));
        Assert.Equal("two\nlines|z@3", Text(reader.Read()));
        Assert.Equal("last|@6", Text(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void Read_UnclosedQuote_NamesTheLineWhereTheRecordStarts()
    {
        var reader = new CsvReader(new StringReader("a,b\n1,\"open\n2,3\n"), "t.csv");
        reader.Read();

        TerminologyLoadException ex = Assert.Throws<TerminologyLoadException>(() => reader.Read());

        Assert.Equal(2, ex.Line);
        Assert.Contains("t.csv:2:", ex.Message, StringComparison.Ordinal);
    }

    private static string Text((string[] Fields, long Line)? record) => $"{string.Join('|', record!.Value.Fields)}@{record.Value.Line}";
}
