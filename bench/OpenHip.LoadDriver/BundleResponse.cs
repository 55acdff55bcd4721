using System.Net;
using System.Text;
using System.Text.Json;

namespace OpenHip.LoadDriver;

/// <summary>Posts a batch/transaction Bundle and counts the entries the server answered with a 2xx status.</summary>
internal static class BundleResponse
{
    public static async Task<(int Succeeded, int Failed, string? Problem)> PostAsync(HttpClient http, byte[] bundle, CancellationToken ct)
    {
        using var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new("application/fhir+json");
        using HttpResponseMessage response = await http.PostAsync((Uri?)null, content, ct).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            string text = Encoding.UTF8.GetString(body);
            return (0, 1, $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 400)]}");
        }

        using JsonDocument document = JsonDocument.Parse(body);
        int ok = 0;
        int failed = 0;
        string? problem = null;
        if (document.RootElement.TryGetProperty("entry", out JsonElement entries))
        {
            foreach (JsonElement entry in entries.EnumerateArray())
            {
                string status = entry.TryGetProperty("response", out JsonElement r) && r.TryGetProperty("status", out JsonElement s) ? s.GetString() ?? "" : "";
                if (status.StartsWith('2'))
                {
                    ok++;
                }
                else
                {
                    failed++;
                    problem ??= $"entry status '{status}'";
                }
            }
        }

        return (ok, failed, problem);
    }
}
