using System.Net;
using System.Text;
using OpenHip.Testing;

namespace OpenHip.Tests.Http;

/// <summary>
/// Issue #9's bounded HTTP fuzz round: a few hundred seeded requests (mutated resources, odd search URLs, odd headers)
/// against a running server; none may answer 5xx, and every error is an OperationOutcome. Each request is cancelled at
/// the stall limit, so a hang fails the test instead of stalling it.
/// </summary>
public sealed class HttpFuzzTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int Seed = 4242;
    private const int Requests = 300;

    private static readonly string[] SearchUrls =
    [
        "Patient?name=", "Patient?birthdate=gt2024-13", "Observation?value-quantity=ap5.4|http://unitsofmeasure.org|mg", "Observation?code:in=x",
        "Patient?_has:Observation:subject:code=1234", "Observation?subject.name=a,b,c", "Patient?_sort=-nonsense", "Patient?_count=-1",
        "Patient?_include=*", "Encounter?_revinclude:iterate=Observation:encounter", "Patient?_elements=a..b", "Patient?_summary=maybe",
        "Patient?gender:not=male", "Patient?identifier=|", "Patient?_id=%00", "Patient?_lastUpdated=le9999", "Condition?onset-date=eb2020-01-01T00:00:00Z",
        "Patient/%2e%2e/metadata", "Patient/$everything", "Patient/x/_history?_since=2020", "_history?_count=0", "$meta", "Patient?_format=xml",
    ];

    private static readonly string[] Resources =
    [
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Li\",\"given\":[\"Wei\"]}],\"birthDate\":\"1990-05-01\",\"gender\":\"male\"}",
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}}",
        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?name=x\"}}]}",
    ];

    [Fact]
    public async Task Requests_Generated_NeverAnswer5xx()
    {
        var random = new Random(Seed);
        Func<HttpRequestMessage>[] inputs = [.. Enumerable.Range(0, Requests).Select(_ => Generate(random))];
        var failures = new List<string>();

        await FuzzRunner.RunAsync(
            inputs.Length,
            async (i, ct) =>
            {
                using HttpRequestMessage request = inputs[i]();
                string what = $"{request.Method} {request.RequestUri}";
                using HttpResponseMessage response = await server.Client.SendAsync(request, ct);
                string body = await response.Content.ReadAsStringAsync(ct);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"seed {Seed}, input {i}: {what} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                }
                else if ((int)response.StatusCode >= 400 && !body.Contains("OperationOutcome", StringComparison.Ordinal))
                {
                    failures.Add($"seed {Seed}, input {i}: {what} answered {(int)response.StatusCode} without an OperationOutcome");
                }
            },
            i => $"input {i}",
            FuzzRunner.DefaultStallLimit);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static Func<HttpRequestMessage> Generate(Random random)
    {
        int kind = random.Next(3);
        if (kind == 0)
        {
            string url = SearchUrls[random.Next(SearchUrls.Length)];
            string mutated = random.Next(2) == 0 ? url : Mutate(url, random, "&=:.,|$%_-*?/");
            // "./" keeps a mutation such as "Patient:x" from reading as a URI scheme.
            return () => new HttpRequestMessage(HttpMethod.Get, new Uri("./" + mutated, UriKind.Relative));
        }

        string resource = Resources[random.Next(Resources.Length)];
        string body = Mutate(resource, random, "{}[]\":,0\\");
        bool xml = random.Next(5) == 0;
        string target = resource.Contains("\"Bundle\"", StringComparison.Ordinal) ? string.Empty : resource.Split('"')[3];
        HttpMethod method = kind == 1 ? HttpMethod.Post : HttpMethod.Put;
        string path = method == HttpMethod.Put && target.Length > 0 ? $"{target}/fuzz-{random.Next(50)}" : target;
        return () => new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body, Encoding.UTF8, xml ? "application/fhir+xml" : "application/fhir+json"),
        };
    }

    private static string Mutate(string text, Random random, string alphabet)
    {
        var builder = new StringBuilder(text);
        int rounds = 1 + random.Next(3);
        for (int r = 0; r < rounds && builder.Length > 0; r++)
        {
            int at = random.Next(builder.Length);
            switch (random.Next(3))
            {
                case 0:
                    builder[at] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 1:
                    builder.Remove(at, Math.Min(builder.Length - at, 1 + random.Next(8)));
                    break;
                default:
                    builder.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }
}
