using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Validation;
using Xunit;

namespace OpenHip.Fhir.Tests.Validation;

public sealed class FhirResourceParserJsonTests
{
    internal const string ValidPatient = """
        {
          "resourceType": "Patient",
          "id": "p1",
          "text": { "status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">John Doe</div>" },
          "active": true,
          "name": [ { "family": "Doe", "given": [ "John" ] } ],
          "gender": "male",
          "birthDate": "1980-01-02"
        }
        """;

    private readonly FhirResourceParser _parser = new();

    [Fact]
    public void ParseJson_ValidPatient_ReturnsResource()
    {
        FhirParseResult result = _parser.ParseJson(Utf8(ValidPatient));

        Assert.True(result.Succeeded);
        Patient patient = Assert.IsType<Patient>(result.Resource);
        Assert.Equal("p1", patient.Id);
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void ParseJson_MemoryOverloadWithByteOrderMark_ReturnsResource()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Utf8(ValidPatient)];

        FhirParseResult result = _parser.ParseJson(new ReadOnlyMemory<byte>(body));

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","active":true,"foo":1}""", "Patient.foo")]
    [InlineData("""{"resourceType":"Patient","contact":[{"name":{"family":"x","bar":2}}]}""", "Patient.contact[0].name.bar")]
    [InlineData("""{"resourceType":"Patient","active":"yes"}""", "Patient.active")]
    [InlineData("""{"resourceType":"Patient","name":[{"given":["a",1]}]}""", "Patient.name[0].given[1]")]
    [InlineData("""{"resourceType":"Patient","name":{"family":"x"}}""", "Patient.name[0]")]
    [InlineData("""{"resourceType":"Patient","birthDate":"2020-13-45"}""", "Patient.birthDate")]
    [InlineData("""{"resourceType":"Patient","id":"a b$","active":true}""", "Patient.id")]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1e400}}""", "Observation.value.value")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"urn:uuid:68D043B5-9ECF-4559-A57A-396E0D452311"}]}""", "Patient.identifier[0].system")]
    [InlineData("""{"resourceType":"Patient","implicitRules":"http://exa mple.org"}""", "Patient.implicitRules")]
    [InlineData("""{"resourceType":"Patientx","active":true}""", "resourceType")]
    [InlineData("""{"id":"p1","active":true}""", "resourceType")]
    [InlineData("""{"resourceType":5,"active":true}""", "resourceType")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Nope","id":"x"}}]}""", "Bundle.entry[0].resource")]
    [InlineData("""{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"></div>"}}""", "Patient.text.div")]
    [InlineData("""{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>"}}""", "Patient.text.div")]
    [InlineData("""{"resourceType":"Observation","code":{"text":"x"}}""", "Observation.status")]
    public void ParseJson_OneInvalidElement_IsUnprocessableWithOneIssueAtThatElement(string json, string expression)
    {
        FhirParseResult result = _parser.ParseJson(Utf8(json));

        Assert.False(result.Succeeded);
        Assert.Equal(FhirErrorKind.Unprocessable, result.ErrorKind);
        FhirIssue issue = Assert.Single(result.Issues);
        Assert.Equal(expression, issue.Expression);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics));
    }

    [Fact]
    public void ParseJson_SeveralProblems_ReportsOneIssuePerProblem()
    {
        const string json = """{"resourceType":"Patient","foo":1,"birthDate":"1980-02-30","gender":"dog"}""";

        FhirParseResult result = _parser.ParseJson(Utf8(json));

        Assert.Equal(FhirErrorKind.Unprocessable, result.ErrorKind);
        Assert.Equal(
            ["Patient.birthDate", "Patient.foo", "Patient.gender"],
            result.Issues.Select(i => i.Expression).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ParseJson_Issue_CarriesSourcePositionInDiagnostics()
    {
        FhirParseResult result = _parser.ParseJson(Utf8("""{"resourceType":"Patient","foo":1}"""));

        FhirIssue issue = Assert.Single(result.Issues);
        Assert.Contains("unknown element 'foo'", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("(line 1, position", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("""{"resourceType":"Patient","active":true,}""")]
    [InlineData("""{"resourceType":"Patient","active":true} {"resourceType":"Patient"}""")]
    [InlineData("""{"resourceType":"Patient", /* comment */ "active":true}""")]
    [InlineData("""{"resourceType":"Patient","active":true""")]
    public void ParseJson_NotJson_IsBadRequest(string body)
    {
        FhirParseResult result = _parser.ParseJson(Utf8(body));

        Assert.Equal(FhirErrorKind.BadRequest, result.ErrorKind);
        FhirIssue issue = Assert.Single(result.Issues);
        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
    }

    [Fact]
    public void ParseJson_JsonArrayAtRoot_IsUnprocessable()
    {
        FhirParseResult result = _parser.ParseJson(Utf8("""[{"resourceType":"Patient"}]"""));

        Assert.Equal(FhirErrorKind.Unprocessable, result.ErrorKind);
        Assert.Equal("resourceType", Assert.Single(result.Issues).Expression);
    }

    [Fact]
    public void ParseJson_NestingDeeperThanDefaultLimit_IsBadRequest()
    {
        FhirParseResult result = _parser.ParseJson(Utf8(NestedExtensions(40)));

        Assert.Equal(FhirErrorKind.BadRequest, result.ErrorKind);
        Assert.Contains("maximum of 64 levels", Assert.Single(result.Issues).Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_NestingWithinDefaultLimit_IsParsed()
    {
        // 20 nested extensions: 42 levels of JSON, more than any real resource needs.
        FhirParseResult result = _parser.ParseJson(Utf8(NestedExtensions(20)));

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void ParseJson_NestingDeeperThanConfiguredLimit_IsBadRequest()
    {
        var parser = new FhirResourceParser(new FhirParserOptions { MaxDepth = 3 });

        // resource object (1) > name array (2) > HumanName object (3) > given array (4)
        FhirParseResult tooDeep = parser.ParseJson(Utf8("""{"resourceType":"Patient","name":[{"given":["a"]}]}"""));
        FhirParseResult shallow = parser.ParseJson(Utf8("""{"resourceType":"Patient","name":[{"family":"a"}]}"""));

        Assert.Equal(FhirErrorKind.BadRequest, tooDeep.ErrorKind);
        Assert.True(shallow.Succeeded);
    }

    [Fact]
    public void ParseJsonOrThrow_ContentError_ThrowsUnprocessable()
    {
        FhirException e = Assert.Throws<FhirException>(
            () => _parser.ParseJsonOrThrow(Utf8("""{"resourceType":"Patient","foo":1}""")));

        Assert.Equal(FhirErrorKind.Unprocessable, e.Kind);
        Assert.Equal("Patient.foo", Assert.Single(e.Issues).Expression);
    }

    [Fact]
    public void ParseJsonOrThrow_SyntaxError_ThrowsBadRequest()
    {
        FhirException e = Assert.Throws<FhirException>(() => _parser.ParseJsonOrThrow(Utf8("{ not json")));

        Assert.Equal(FhirErrorKind.BadRequest, e.Kind);
    }

    [Fact]
    public void ParseJsonOrThrow_ValidPatient_ReturnsResource()
    {
        Resource resource = _parser.ParseJsonOrThrow(new ReadOnlyMemory<byte>(Utf8(ValidPatient)));

        Assert.Equal("Patient", resource.TypeName);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // Each extension level adds two JSON levels (the array and the object).
    private static string NestedExtensions(int levels)
    {
        var json = new StringBuilder("""{"resourceType":"Patient","extension":[""");
        for (int i = 0; i < levels; i++)
        {
            json.Append("""{"url":"http://example.org/outer","extension":[""");
        }

        json.Append("""{"url":"http://example.org/inner","valueString":"x"}""");
        for (int i = 0; i < levels; i++)
        {
            json.Append("]}");
        }

        return json.Append("]}").ToString();
    }
}
