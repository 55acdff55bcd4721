using Microsoft.AspNetCore.Http;

namespace OpenHip.Fhir.Api.Http;

internal static class PreferHeader
{
    public static ReturnPreference Return(HttpRequest request)
    {
        foreach (string? value in request.Headers["Prefer"])
        {
            foreach (string part in (value ?? string.Empty).Split([',', ';'], StringSplitOptions.TrimEntries))
            {
                if (part.Equals("return=minimal", StringComparison.OrdinalIgnoreCase))
                {
                    return ReturnPreference.Minimal;
                }

                if (part.Equals("return=OperationOutcome", StringComparison.OrdinalIgnoreCase))
                {
                    return ReturnPreference.OperationOutcome;
                }
            }
        }

        return ReturnPreference.Representation;
    }
}
