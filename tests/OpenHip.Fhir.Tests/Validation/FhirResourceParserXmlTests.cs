using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Validation;
using Xunit;

namespace OpenHip.Fhir.Tests.Validation;

public sealed class FhirResourceParserXmlTests
{
    internal const string ValidPatient = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- comments are allowed -->
        <Patient xmlns="http://hl7.org/fhir">
          <id value="p1"/>
          <text>
            <status value="generated"/>
            <div xmlns="http://www.w3.org/1999/xhtml"><b>John</b> <i>Doe</i></div>
          </text>
          <active value="true"/>
          <name>
            <family value="Doe"/>
            <given value="John"/>
          </name>
          <birthDate value="1980-01-02"/>
        </Patient>
        """;

    private readonly FhirResourceParser _parser = new();

    [Fact]
    public void ParseXml_ValidPatient_ReturnsResource()
    {
        FhirParseResult result = _parser.ParseXml(ValidPatient);

        Assert.True(result.Succeeded);
        Patient patient = Assert.IsType<Patient>(result.Resource);
        Assert.Equal("Doe", patient.Name[0].Family);
        Assert.Contains("</b> <i>", patient.Text?.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseXml_NonSeekableStream_ReturnsResource()
    {
        using var stream = new ForwardOnlyStream(Encoding.UTF8.GetBytes(ValidPatient));

        FhirParseResult result = _parser.ParseXml(stream);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void ParseXml_SeekableStream_ReadsFromCurrentPositionAndLeavesStreamOpen()
    {
        byte[] prefix = Encoding.UTF8.GetBytes("ignored");
        using var stream = new MemoryStream([.. prefix, .. Encoding.UTF8.GetBytes(ValidPatient)]);
        stream.Position = prefix.Length;

        FhirParseResult result = _parser.ParseXml(stream);

        Assert.True(result.Succeeded);
        Assert.True(stream.CanRead);
    }

    [Theory]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY x "boom">]><Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Patient xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Patient>""")]
    [InlineData("""<!DOCTYPE Patient SYSTEM "http://example.org/fhir.dtd"><Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>""")]
    public void ParseXml_WithDoctype_IsBadRequest(string xml)
    {
        FhirParseResult fromString = _parser.ParseXml(xml);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        FhirParseResult fromStream = _parser.ParseXml(stream);

        Assert.Equal(FhirErrorKind.BadRequest, fromString.ErrorKind);
        Assert.Equal(FhirErrorKind.BadRequest, fromStream.ErrorKind);
        Assert.Contains("DTD", Assert.Single(fromString.Issues).Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><active value="true"></Patient>""")]
    [InlineData("not xml")]
    [InlineData("")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><active value="true"/></Patient><Patient/>""")]
    public void ParseXml_NotWellFormed_IsBadRequest(string xml)
    {
        FhirParseResult result = _parser.ParseXml(xml);

        Assert.Equal(FhirErrorKind.BadRequest, result.ErrorKind);
        Assert.Equal(OperationOutcome.IssueType.Structure, Assert.Single(result.Issues).Code);
    }

    [Theory]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><active value="true"/><foo value="1"/></Patient>""", "Patient.foo")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><birthDate value="2020-13-01"/></Patient>""", "Patient.birthDate")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><id value="a b$"/><active value="true"/></Patient>""", "Patient.id")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><active value="yes"/></Patient>""", "Patient.active")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><implicitRules value="urn:uuid:68D043B5-9ECF-4559-A57A-396E0D452311"/></Patient>""", "Patient.implicitRules")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"></div></text></Patient>""", "Patient.text.div")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div></text></Patient>""", "Patient.text.div")]
    [InlineData("""<Patient xmlns="http://hl7.org/fhir"><contained><Observation><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"/></text><status value="final"/><code><text value="x"/></code></Observation></contained><active value="true"/></Patient>""", "Patient.contained[0].text.div")]
    [InlineData("""<Patientx xmlns="http://hl7.org/fhir"><id value="p1"/></Patientx>""", "resourceType")]
    public void ParseXml_OneInvalidElement_IsUnprocessableWithOneIssueAtThatElement(string xml, string expression)
    {
        FhirParseResult result = _parser.ParseXml(xml);

        Assert.Equal(FhirErrorKind.Unprocessable, result.ErrorKind);
        Assert.Equal(expression, Assert.Single(result.Issues).Expression);
    }

    [Fact]
    public void ParseXml_NestingDeeperThanConfiguredLimit_IsBadRequest()
    {
        var parser = new FhirResourceParser(new FhirParserOptions { MaxDepth = 2 });

        FhirParseResult tooDeep = parser.ParseXml("""<Patient xmlns="http://hl7.org/fhir"><name><family value="x"/></name></Patient>""");
        FhirParseResult shallow = parser.ParseXml("""<Patient xmlns="http://hl7.org/fhir"><active value="true"/></Patient>""");

        Assert.Equal(FhirErrorKind.BadRequest, tooDeep.ErrorKind);
        Assert.True(shallow.Succeeded);
    }

    [Fact]
    public void ParseXmlOrThrow_Doctype_ThrowsBadRequest()
    {
        FhirException e = Assert.Throws<FhirException>(() => _parser.ParseXmlOrThrow(
            """<!DOCTYPE Patient [<!ENTITY x "y">]><Patient xmlns="http://hl7.org/fhir"/>"""));

        Assert.Equal(FhirErrorKind.BadRequest, e.Kind);
    }

    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
