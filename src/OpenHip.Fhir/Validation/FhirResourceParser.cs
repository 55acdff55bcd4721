using System.Text.Json;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Validation;

/// <summary>
/// Strict FHIR R4 parsing of request bodies. A body that is not well-formed JSON/XML, or breaks a parser limit,
/// fails with <see cref="FhirErrorKind.BadRequest"/>; a well-formed body that is not a valid resource (unknown
/// elements, wrong JSON types, invalid primitives, unknown resourceType, bad narrative, ...) fails with
/// <see cref="FhirErrorKind.Unprocessable"/> and one issue per problem. Thread-safe; build once and share.
/// </summary>
public sealed class FhirResourceParser
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly int _maxDepth;
    private readonly JsonReaderOptions _jsonOptions;
    private readonly XmlReaderSettings _xmlSettings;
    private readonly FhirJsonDeserializer _jsonDeserializer;
    private readonly FhirXmlDeserializer _xmlDeserializer;

    public FhirResourceParser()
        : this(FhirParserOptions.Default)
    {
    }

    public FhirResourceParser(FhirParserOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDepth, 1);
        _maxDepth = options.MaxDepth;

        // One level of headroom: our own scan enforces MaxDepth and reports it; the reader's limit is a backstop.
        _jsonOptions = new JsonReaderOptions
        {
            MaxDepth = _maxDepth + 1,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        };

        // No DTDs means no entity expansion (billion laughs) and no external entities (XXE); no resolver means
        // nothing is ever fetched. Whitespace is kept because it is significant inside narrative XHTML.
        _xmlSettings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };

        DeserializerSettings strict = new DeserializerSettings().UsingMode(DeserializationMode.Strict);
        _jsonDeserializer = new FhirJsonDeserializer(strict);
        _xmlDeserializer = new FhirXmlDeserializer(strict);
    }

    public FhirParseResult ParseJson(ReadOnlyMemory<byte> utf8Json) => ParseJson(utf8Json.Span);

    public FhirParseResult ParseJson(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        FhirParseResult? syntaxFailure = ScanJson(utf8Json);
        if (syntaxFailure is not null)
        {
            return syntaxFailure;
        }

        var reader = new Utf8JsonReader(utf8Json, _jsonOptions);
        try
        {
            Resource resource = _jsonDeserializer.DeserializeResource(ref reader);
            var issues = new List<FhirIssue>();
            NarrativeChecker.Check(resource, issues);
            return issues.Count == 0 ? FhirParseResult.Success(resource) : FhirParseResult.Failure(FhirErrorKind.Unprocessable, issues);
        }
        catch (DeserializationFailedException e)
        {
            return FhirParseResult.Failure(FhirErrorKind.Unprocessable, ParseIssueMapper.Map(e));
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            // Firely throws these for JSON shapes it has no coded error for; it is still the client's content.
            return FhirParseResult.Failure(
                FhirErrorKind.Unprocessable,
                FhirIssue.Invalid($"The resource could not be read: {e.Message}"));
        }
    }

    public FhirParseResult ParseXml(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);

        FhirParseResult? syntaxFailure;
        using (var scanner = XmlReader.Create(new StringReader(xml), _xmlSettings))
        {
            syntaxFailure = ScanXml(scanner);
        }

        if (syntaxFailure is not null)
        {
            return syntaxFailure;
        }

        using XmlReader reader = XmlReader.Create(new StringReader(xml), _xmlSettings);
        return DeserializeXml(reader);
    }

    /// <summary>Parses XML from <paramref name="xml"/>, which is read but neither disposed nor required to be seekable.</summary>
    public FhirParseResult ParseXml(Stream xml)
    {
        ArgumentNullException.ThrowIfNull(xml);

        // The well-formedness and depth scan reads the body once before Firely does, so it must be replayable.
        Stream source = xml;
        MemoryStream? buffer = null;
        if (!xml.CanSeek)
        {
            buffer = new MemoryStream();
            xml.CopyTo(buffer);
            buffer.Position = 0;
            source = buffer;
        }

        try
        {
            long start = source.Position;
            FhirParseResult? syntaxFailure;
            using (var scanner = XmlReader.Create(source, _xmlSettings))
            {
                syntaxFailure = ScanXml(scanner);
            }

            if (syntaxFailure is not null)
            {
                return syntaxFailure;
            }

            source.Position = start;
            using XmlReader reader = XmlReader.Create(source, _xmlSettings);
            return DeserializeXml(reader);
        }
        finally
        {
            buffer?.Dispose();
        }
    }

    public Resource ParseJsonOrThrow(ReadOnlySpan<byte> utf8Json) => ParseJson(utf8Json).GetResourceOrThrow();

    public Resource ParseJsonOrThrow(ReadOnlyMemory<byte> utf8Json) => ParseJson(utf8Json.Span).GetResourceOrThrow();

    public Resource ParseXmlOrThrow(string xml) => ParseXml(xml).GetResourceOrThrow();

    public Resource ParseXmlOrThrow(Stream xml) => ParseXml(xml).GetResourceOrThrow();

    // A full pass of the forward-only reader: cheap next to deserialization, and it separates "not JSON" (400)
    // from "not a valid resource" (422) before Firely sees the body.
    private FhirParseResult? ScanJson(ReadOnlySpan<byte> utf8Json)
    {
        var scanner = new Utf8JsonReader(utf8Json, _jsonOptions);
        JsonTokenType rootToken = JsonTokenType.None;
        try
        {
            while (scanner.Read())
            {
                if (rootToken == JsonTokenType.None)
                {
                    rootToken = scanner.TokenType;
                }

                if (scanner.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                    && scanner.CurrentDepth >= _maxDepth)
                {
                    return TooDeep((int)scanner.TokenStartIndex);
                }
            }
        }
        catch (JsonException e)
        {
            return FhirParseResult.Failure(
                FhirErrorKind.BadRequest,
                new FhirIssue(OperationOutcome.IssueType.Structure, $"The body is not valid JSON: {e.Message}"));
        }

        if (rootToken != JsonTokenType.StartObject)
        {
            return FhirParseResult.Failure(
                FhirErrorKind.Unprocessable,
                FhirIssue.Invalid("A FHIR resource must be a JSON object with a resourceType property.", "resourceType"));
        }

        return null;
    }

    private FhirParseResult? ScanXml(XmlReader scanner)
    {
        try
        {
            while (scanner.Read())
            {
                if (scanner.NodeType == XmlNodeType.Element && scanner.Depth >= _maxDepth)
                {
                    var lineInfo = (IXmlLineInfo)scanner;
                    return FhirParseResult.Failure(
                        FhirErrorKind.BadRequest,
                        new FhirIssue(
                            OperationOutcome.IssueType.Structure,
                            ParseIssueMapper.WithLocation(
                                $"XML elements are nested deeper than the maximum of {_maxDepth} levels.",
                                lineInfo.LineNumber,
                                lineInfo.LinePosition)));
                }
            }
        }
        catch (XmlException e)
        {
            // Also the path for a DOCTYPE: DtdProcessing.Prohibit makes the reader throw on it.
            return FhirParseResult.Failure(
                FhirErrorKind.BadRequest,
                new FhirIssue(OperationOutcome.IssueType.Structure, $"The body is not acceptable XML: {e.Message}"));
        }

        return null;
    }

    private FhirParseResult DeserializeXml(XmlReader reader)
    {
        var issues = new List<FhirIssue>();
        Resource? resource = null;
        try
        {
            resource = _xmlDeserializer.DeserializeResource(reader);
        }
        catch (DeserializationFailedException e)
        {
            issues.AddRange(ParseIssueMapper.Map(e));
            resource = e.PartialResult as Resource;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            // Firely throws these for XML shapes it has no coded error for; it is still the client's content (the XML fuzz
            // test found NotSupportedException "Cannot generate factory method for type System.String" from a mutated example).
            issues.Add(FhirIssue.Invalid($"The resource could not be read: {e.Message}"));
        }

        if (resource is not null)
        {
            NarrativeChecker.Check(resource, issues);
        }

        return issues.Count == 0 && resource is not null
            ? FhirParseResult.Success(resource)
            : FhirParseResult.Failure(FhirErrorKind.Unprocessable, issues);
    }

    private FhirParseResult TooDeep(int byteOffset) =>
        FhirParseResult.Failure(
            FhirErrorKind.BadRequest,
            new FhirIssue(
                OperationOutcome.IssueType.Structure,
                $"JSON objects/arrays are nested deeper than the maximum of {_maxDepth} levels (at byte offset {byteOffset})."));
}
