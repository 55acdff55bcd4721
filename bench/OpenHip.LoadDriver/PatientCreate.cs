using System.Net;

namespace OpenHip.LoadDriver;

/// <summary>One synthetic Patient POST, as the create scenarios send it: true when the server answered 201.</summary>
internal static class PatientCreate
{
    private static readonly Uri PatientUri = new("Patient", UriKind.Relative);

    /// <param name="prefer">Prefer return=<paramref name="prefer"/>, or no Prefer header when null.</param>
    public static async Task<bool> SendAsync(HttpClient http, long n, string? prefer, bool nationalIds, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PatientUri)
        {
            Content = new ByteArrayContent(SyntheticPatient.Utf8(n, nationalIds: nationalIds)),
        };
        request.Content.Headers.ContentType = new("application/fhir+json");
        request.Headers.Accept.ParseAdd("application/fhir+json");
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", $"return={prefer}");
        }

        using HttpResponseMessage response = await http.SendAsync(request, ct).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.Created;
    }
}
