using Microsoft.AspNetCore.Http;

namespace OpenHip.Fhir.Api.Http;

internal static class PreferHeader
{
    public static ReturnPreference Return(HttpRequest request) =>
        Has(request, "return=minimal") ? ReturnPreference.Minimal
        : Has(request, "return=OperationOutcome") ? ReturnPreference.OperationOutcome
        : ReturnPreference.Representation;

    /// <summary><c>handling=strict</c> refuses unknown search parameters; lenient is the default.</summary>
    public static OpenHip.Fhir.Search.Parsing.SearchHandling Handling(HttpRequest request) =>
        Has(request, "handling=strict") ? OpenHip.Fhir.Search.Parsing.SearchHandling.Strict : OpenHip.Fhir.Search.Parsing.SearchHandling.Lenient;

    private static bool Has(HttpRequest request, string preference)
    {
        foreach (string? value in request.Headers["Prefer"])
        {
            foreach (string part in (value ?? string.Empty).Split([',', ';'], StringSplitOptions.TrimEntries))
            {
                if (part.Equals(preference, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
