using System.Text;
using System.Text.Json;
using System.Xml;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;

namespace OpenHip.Fhir.Api.Http;

/// <summary>Reads and parses request bodies within the configured limits.</summary>
internal static class RequestBodyReader
{
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            throw FhirException.TooLarge($"The body is larger than the limit of {maxBytes} bytes");
        }

        if (request.ContentLength is { } length)
        {
            // Kestrel enforces Content-Length, so one exact buffer holds the body without a second copy.
            byte[] body = new byte[length];
            try
            {
                await request.Body.ReadExactlyAsync(body, request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                throw FhirException.BadRequest("The body ended before its Content-Length");
            }

            return body;
        }

        using var buffer = new MemoryStream(4096);
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw FhirException.TooLarge($"The body is larger than the limit of {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static async Task<Resource> ReadResourceAsync(HttpRequest request, FhirApiOptions options, int? maxBundleEntries = null)
    {
        FhirFormat format = ContentNegotiation.RequestFormat(request)
            ?? throw new FhirException(FhirErrorKind.UnsupportedMediaType, FhirIssue.NotSupported("A body needs a Content-Type: application/fhir+json or application/fhir+xml"));
        byte[] body = await ReadBytesAsync(request, options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (body.Length == 0)
        {
            throw FhirException.BadRequest("The request has no body");
        }

        if (maxBundleEntries is { } limit)
        {
            int entries = format == FhirFormat.Json ? CountJsonEntries(body, Validation.FhirParserOptions.Default.MaxDepth) : CountXmlEntries(body);
            if (entries > limit)
            {
                throw FhirException.TooLarge($"The Bundle has {entries} entries; the limit is {limit}");
            }
        }

        return format == FhirFormat.Json
            ? FhirCodec.ParseJson(body)
            : FhirCodec.ParseXml(Encoding.UTF8.GetString(body));
    }

    /// <summary>
    /// Counts Bundle.entry items with a forward-only reader that allocates nothing per entry, so an oversized Bundle is
    /// refused before Firely builds a POCO for it (a 100,000-entry Bundle would otherwise cost gigabytes).
    /// </summary>
    internal static int CountJsonEntries(ReadOnlySpan<byte> body, int maxDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        int count = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("entry"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return 0;
                    }

                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        count++;
                        reader.Skip();
                    }
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            throw FhirException.BadRequest($"The body is not valid JSON: {ex.Message}");
        }

        return count;
    }

    private static int CountXmlEntries(byte[] body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        int count = 0;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), settings);
            reader.Read();
            while (!reader.EOF)
            {
                // Skip() already moves to the next node; a Read() after it would step over the next sibling entry
                // (regression: back-to-back entries were counted every other one, so twice the limit got through).
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && reader.LocalName == "entry")
                {
                    count++;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                }
            }
        }
        catch (XmlException ex)
        {
            throw FhirException.BadRequest($"The body is not valid XML: {ex.Message}");
        }

        return count;
    }
}
