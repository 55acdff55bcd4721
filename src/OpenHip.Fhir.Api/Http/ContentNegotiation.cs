using Hl7.Fhir.Rest;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Api.Http;

/// <summary>FHIR content negotiation: _format wins over Accept; JSON when the client expresses no preference.</summary>
internal static class ContentNegotiation
{
    public static FhirFormat ResponseFormat(HttpRequest request)
    {
        string? format = request.Query["_format"];
        if (!string.IsNullOrEmpty(format))
        {
            return FromMediaType(format) ?? throw new FhirException(FhirErrorKind.NotAcceptable, FhirIssue.NotSupported($"_format '{format}' is not supported"));
        }

        IList<MediaTypeHeaderValue> accepts = request.GetTypedHeaders().Accept;
        if (accepts.Count == 0)
        {
            return FhirFormat.Json;
        }

        foreach (MediaTypeHeaderValue accept in accepts.OrderByDescending(a => a.Quality ?? 1))
        {
            string mediaType = accept.MediaType.Value ?? string.Empty;
            if (mediaType is "*/*" or "application/*" || mediaType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return FhirFormat.Json;
            }

            if (FromMediaType(mediaType) is { } known)
            {
                return known;
            }
        }

        throw new FhirException(FhirErrorKind.NotAcceptable, FhirIssue.NotSupported("None of the Accept media types is supported; use application/fhir+json or application/fhir+xml"));
    }

    /// <summary>The format of a request body, from Content-Type; null when there is no body type at all.</summary>
    public static FhirFormat? RequestFormat(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return null;
        }

        string mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? parsed)
            ? parsed.MediaType.Value ?? string.Empty
            : string.Empty;
        return FromMediaType(mediaType)
            ?? throw new FhirException(FhirErrorKind.UnsupportedMediaType, FhirIssue.NotSupported($"Content-Type '{request.ContentType}' is not supported; use application/fhir+json or application/fhir+xml"));
    }

    /// <summary>R4 _summary and _elements; (False, null) when the client asked for the whole resource.</summary>
    public static (SummaryType Summary, string[]? Elements) Subset(HttpRequest request)
    {
        string? summary = request.Query["_summary"];
        SummaryType type = summary switch
        {
            null or "" or "false" => SummaryType.False,
            "true" => SummaryType.True,
            "text" => SummaryType.Text,
            "data" => SummaryType.Data,
            _ => throw FhirException.BadRequest($"_summary '{summary}' is not supported here; use true, text, data or false", "_summary"),
        };
        string? elements = request.Query["_elements"];
        // id and meta always come back, so a subset can still be identified and versioned.
        string[]? list = string.IsNullOrWhiteSpace(elements)
            ? null
            : [.. elements.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Union(["id", "meta"], StringComparer.Ordinal)];
        return (type, list);
    }

    public static bool IsPretty(HttpRequest request) => string.Equals(request.Query["_pretty"], "true", StringComparison.OrdinalIgnoreCase);

    public static string MediaType(FhirFormat format) =>
        format == FhirFormat.Xml ? "application/fhir+xml; charset=utf-8" : "application/fhir+json; charset=utf-8";

    private static FhirFormat? FromMediaType(string value) => value.Trim().ToLowerInvariant() switch
    {
        "json" or "application/json" or "application/fhir+json" or "application/json+fhir" => FhirFormat.Json,
        "xml" or "text/xml" or "application/xml" or "application/fhir+xml" or "application/xml+fhir" => FhirFormat.Xml,
        _ => null,
    };
}
