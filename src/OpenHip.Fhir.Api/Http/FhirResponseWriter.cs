using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Microsoft.AspNetCore.Http;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// Writes FHIR responses. Stored JSON goes out as stored when the client wants compact JSON: no parse, no
/// re-serialisation. Everything else (XML, _pretty) goes through Firely.
/// </summary>
internal static class FhirResponseWriter
{
    public static async Task WriteStoredAsync(HttpContext context, StoredResource stored, int status, string baseUrl)
    {
        SetVersionHeaders(context.Response, stored, baseUrl);
        FhirFormat format = ContentNegotiation.ResponseFormat(context.Request);
        bool pretty = ContentNegotiation.IsPretty(context.Request);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentNegotiation.MediaType(format);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        (SummaryType summary, string[]? elements) = ContentNegotiation.Subset(context.Request);
        if (format == FhirFormat.Json && !pretty && summary == SummaryType.False && elements is null)
        {
            await AuditGate.RecordAsync(context).ConfigureAwait(false);
            context.Response.ContentLength = stored.Json.Length;
            await context.Response.Body.WriteAsync(stored.Json, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        Resource resource = FhirCodec.ParseStored(stored.Json.Span);
        await WriteBytesAsync(context, Serialize(resource, format, pretty, summary, elements)).ConfigureAwait(false);
    }

    public static Task WriteResourceAsync(HttpContext context, Resource resource, int status)
    {
        FhirFormat format = ContentNegotiation.ResponseFormat(context.Request);
        (SummaryType summary, string[]? elements) = ContentNegotiation.Subset(context.Request);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentNegotiation.MediaType(format);
        return WriteBytesAsync(context, Serialize(resource, format, ContentNegotiation.IsPretty(context.Request), summary, elements));
    }

    /// <summary>Error responses must not fail on a bad _format or Accept; they fall back to JSON.</summary>
    public static Task WriteErrorAsync(HttpContext context, Resource outcome, int status) =>
        WriteResourceAsync(context, outcome, status, SafeResponseFormat(context.Request));

    private static Task WriteResourceAsync(HttpContext context, Resource resource, int status, FhirFormat format)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentNegotiation.MediaType(format);
        return WriteBytesAsync(context, Serialize(resource, format, ContentNegotiation.IsPretty(context.Request)));
    }

    public static Task WriteBundleAsync(HttpContext context, ResponseBundle bundle, string baseUrl)
    {
        FhirFormat format = ContentNegotiation.ResponseFormat(context.Request);
        bool pretty = ContentNegotiation.IsPretty(context.Request);
        context.Response.StatusCode = 200;
        context.Response.ContentType = ContentNegotiation.MediaType(format);
        byte[] body = format == FhirFormat.Json && !pretty
            ? BundleJson(bundle, baseUrl)
            : Serialize(ToPoco(bundle, baseUrl), format, pretty);
        return WriteBytesAsync(context, body);
    }

    public static void SetVersionHeaders(HttpResponse response, StoredResource stored, string baseUrl)
    {
        response.Headers.ETag = $"W/\"{stored.VersionId}\"";
        response.Headers.LastModified = stored.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.ContentLocation = VersionUrl(stored, baseUrl);
    }

    public static string VersionUrl(StoredResource stored, string baseUrl) =>
        $"{baseUrl}/{stored.Type}/{stored.Id}/_history/{stored.VersionId}";

    private static FhirFormat SafeResponseFormat(HttpRequest request)
    {
        try
        {
            return ContentNegotiation.ResponseFormat(request);
        }
        catch (Errors.FhirException)
        {
            return FhirFormat.Json;
        }
    }

    private static byte[] Serialize(Resource resource, FhirFormat format, bool pretty) =>
        format == FhirFormat.Xml ? FhirCodec.ToXmlBytes(resource, pretty) : FhirCodec.ToJsonBytes(resource, pretty);

    private static byte[] Serialize(Resource resource, FhirFormat format, bool pretty, SummaryType summary, string[]? elements) =>
        summary == SummaryType.False && elements is null ? Serialize(resource, format, pretty)
        : format == FhirFormat.Xml ? FhirCodec.ToXmlBytes(resource, pretty, summary, elements)
        : FhirCodec.ToJsonBytes(resource, pretty, summary, elements);

    private static async Task WriteBytesAsync(HttpContext context, byte[] body)
    {
        await AuditGate.RecordAsync(context).ConfigureAwait(false);
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string Absolute(string url, string baseUrl) =>
        url.Contains(':', StringComparison.Ordinal) ? url : $"{baseUrl}/{url}";

    private static byte[] BundleJson(ResponseBundle bundle, string baseUrl)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("resourceType", "Bundle");
            json.WriteString("type", Hl7.Fhir.Utility.EnumUtility.GetLiteral(bundle.Type));
            if (bundle.Total is { } total)
            {
                json.WriteNumber("total", total);
            }

            if (bundle.Links.Count > 0)
            {
                json.WriteStartArray("link");
                foreach (KeyValuePair<string, string> link in bundle.Links)
                {
                    json.WriteStartObject();
                    json.WriteString("relation", link.Key);
                    json.WriteString("url", link.Value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            // FHIR JSON has no empty arrays: a Bundle without entries has no "entry" at all.
            if (bundle.Entries.Count > 0)
            {
                json.WriteStartArray("entry");
                foreach (ResponseEntry entry in bundle.Entries)
                {
                    WriteEntry(json, entry, baseUrl);
                }

                json.WriteEndArray();
            }
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEntry(Utf8JsonWriter json, ResponseEntry entry, string baseUrl)
    {
        json.WriteStartObject();
        if (entry.FullUrl is not null)
        {
            json.WriteString("fullUrl", Absolute(entry.FullUrl, baseUrl));
        }

        if (entry.ResourceJson is { Length: > 0 } raw)
        {
            json.WritePropertyName("resource");
            json.WriteRawValue(raw.Span, skipInputValidation: true);
        }
        else if (entry.Resource is not null)
        {
            json.WritePropertyName("resource");
            json.WriteRawValue(FhirCodec.ToJsonBytes(entry.Resource), skipInputValidation: true);
        }

        if (entry.SearchMode is { } mode)
        {
            json.WriteStartObject("search");
            json.WriteString("mode", Hl7.Fhir.Utility.EnumUtility.GetLiteral(mode));
            json.WriteEndObject();
        }

        if (entry.RequestMethod is not null)
        {
            json.WriteStartObject("request");
            json.WriteString("method", entry.RequestMethod);
            json.WriteString("url", entry.RequestUrl);
            json.WriteEndObject();
        }

        if (entry.Status is not null)
        {
            json.WriteStartObject("response");
            json.WriteString("status", entry.Status);
            if (entry.Location is not null)
            {
                json.WriteString("location", entry.Location);
            }

            if (entry.Etag is not null)
            {
                json.WriteString("etag", entry.Etag);
            }

            if (entry.LastModified is { } modified)
            {
                json.WriteString("lastModified", modified.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
            }

            if (entry.Outcome is not null)
            {
                json.WritePropertyName("outcome");
                json.WriteRawValue(FhirCodec.ToJsonBytes(entry.Outcome), skipInputValidation: true);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static Bundle ToPoco(ResponseBundle bundle, string baseUrl)
    {
        var poco = new Bundle { Type = bundle.Type, Total = bundle.Total is { } t ? (int)t : null };
        foreach (KeyValuePair<string, string> link in bundle.Links)
        {
            poco.Link.Add(new Bundle.LinkComponent { Relation = link.Key, Url = link.Value });
        }

        foreach (ResponseEntry entry in bundle.Entries)
        {
            var component = new Bundle.EntryComponent
            {
                FullUrl = entry.FullUrl is null ? null : Absolute(entry.FullUrl, baseUrl),
                Resource = entry.ResourceJson is { Length: > 0 } raw ? FhirCodec.ParseStored(raw.Span) : entry.Resource,
                Search = entry.SearchMode is { } mode ? new Bundle.SearchComponent { Mode = mode } : null,
            };
            if (entry.RequestMethod is not null)
            {
                component.Request = new Bundle.RequestComponent
                {
                    Method = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<Bundle.HTTPVerb>(entry.RequestMethod),
                    Url = entry.RequestUrl,
                };
            }

            if (entry.Status is not null)
            {
                component.Response = new Bundle.ResponseComponent
                {
                    Status = entry.Status,
                    Location = entry.Location,
                    Etag = entry.Etag,
                    LastModified = entry.LastModified,
                    Outcome = entry.Outcome,
                };
            }

            poco.Entry.Add(component);
        }

        return poco;
    }
}
