using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;

namespace OpenHip.Fhir.Transactions;

/// <summary>Bundle.entry.request.url taken apart: Type, Type/id, Type/id/_history/vid or Type?query.</summary>
public sealed record EntryRequest(string Type, string? Id, string? Version, string? Query)
{
    public static EntryRequest Parse(string url, string baseUrl, string expression)
    {
        string relative = url;
        if (relative.StartsWith(baseUrl + "/", StringComparison.Ordinal))
        {
            relative = relative[(baseUrl.Length + 1)..];
        }
        else if (Uri.TryCreate(relative, UriKind.Absolute, out _))
        {
            throw FhirException.BadRequest($"'{url}' is not on this server", expression);
        }

        string? query = null;
        int q = relative.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = relative[(q + 1)..];
            relative = relative[..q];
        }

        string[] parts = relative.Trim('/').Split('/');
        if (parts.Length is not (1 or 2 or 4) || (parts.Length == 4 && parts[2] != "_history"))
        {
            throw FhirException.BadRequest($"'{url}' is not a resource URL this server understands", expression);
        }

        ResourceIds.EnsureKnownType(parts[0]);
        if (parts.Length >= 2)
        {
            ResourceIds.EnsureValidId(parts[1]);
        }

        return new EntryRequest(parts[0], parts.Length >= 2 ? parts[1] : null, parts.Length == 4 ? parts[3] : null, query);
    }
}
