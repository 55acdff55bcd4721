using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace OpenHip.LoadDriver;

/// <summary>
/// `bigbundle`: a 12.7 MB batch Bundle with 100,000 small Patient POSTs, ten times the default entry limit. The server
/// should answer 413 after counting entries, before Firely builds a POCO per entry; peak RSS before and after shows it.
/// </summary>
internal static class BigBundleScenario
{
    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false);
        using HttpClient http = FhirHttp.Create(server.BaseUri, 1);

        // Warm the bundle path (routing, body reading, parsing, JIT) with a small batch so "before" is a working server.
        (int warmOk, _, string? warmProblem) = await BundleResponse.PostAsync(http, Bundle(10), CancellationToken.None).ConfigureAwait(false);
        if (warmOk != 10)
        {
            throw new InvalidOperationException($"the warm-up batch failed: {warmProblem}");
        }

        long peakBefore = server.PeakRssBytes();
        long rssBefore = server.RssBytes();
        byte[] bundle = Bundle(options.Entries);
        using var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new("application/fhir+json");
        var started = Stopwatch.StartNew();
        using HttpResponseMessage response = await http.PostAsync((Uri?)null, content).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        TimeSpan elapsed = started.Elapsed;
        long peakAfter = server.PeakRssBytes();
        long rssAfter = server.RssBytes();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"# bigbundle: {options.Entries} entries, {bundle.Length / 1e6:F1} MB"));
        Console.WriteLine($"answer: {(int)response.StatusCode} in {elapsed.TotalMilliseconds:F0} ms: {body[..Math.Min(body.Length, 300)]}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT bigbundle: status {(int)response.StatusCode}, peak server RSS {Stats.Mebibytes(peakBefore)} before, {Stats.Mebibytes(peakAfter)} after " +
            $"(+{Stats.Mebibytes(peakAfter - peakBefore)}); RSS {Stats.Mebibytes(rssBefore)} -> {Stats.Mebibytes(rssAfter)}; answered in {elapsed.TotalMilliseconds:F0} ms"));
        if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge)
        {
            Console.WriteLine("  ! expected 413 Request Entity Too Large");
        }
    }

    /// <summary>127 bytes per entry (a small Patient POST), so 100,000 entries make 12.7 MB.</summary>
    private static byte[] Bundle(int entries)
    {
        var json = new StringBuilder(capacity: entries * 130);
        json.Append("""{"resourceType":"Bundle","type":"batch","entry":[""");
        for (int n = 0; n < entries; n++)
        {
            json.Append(n == 0 ? "" : ",")
                .Append("""{"resource":{"resourceType":"Patient","gender":"female","birthDate":"1970-01-01"},"request":{"method":"POST","url":"Patient"}}""");
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
