using System.Globalization;
using System.Text.Json;

namespace OpenHip.LoadDriver;

/// <summary>
/// Real parameter values for the search templates, found through the API the way a client would: Patients page by
/// page (id, family name, birth date, managing organization), then the Observations of a sample of them (LOINC codes
/// and dates), then the names of their organizations. Every value comes from a stored resource, so every query can match.
/// </summary>
internal sealed class SearchValues
{
    private const int PatientPageSize = 500;
    private const int MaxPatients = 10_000;
    private const int IdsPerOrganizationSearch = 20; // Fhir:MaxSearchOrValues by default

    public List<PatientFacts> Patients { get; } = [];

    /// <summary>A Patient with observations and the LOINC code of one of them.</summary>
    public List<(string PatientId, string Code)> PatientCodes { get; } = [];

    /// <summary>A LOINC code and the day of an Observation carrying it.</summary>
    public List<(string Code, string Day)> CodeDays { get; } = [];

    public Dictionary<string, string> OrganizationNames { get; } = new(StringComparer.Ordinal);

    public static async Task<SearchValues> DiscoverAsync(HttpClient http, int samples, Random random)
    {
        var values = new SearchValues();
        Uri? page = SearchResponse.Url("Patient", [new("_count", PatientPageSize.ToString(CultureInfo.InvariantCulture)), new("_elements", "id,name,birthDate,managingOrganization")]);
        while (page is not null && values.Patients.Count < MaxPatients)
        {
            using JsonDocument bundle = await SearchResponse.GetBundleAsync(http, page, CancellationToken.None).ConfigureAwait(false);
            values.Patients.AddRange(SearchResponse.Resources(bundle, "match").Select(PatientFacts.From));
            page = SearchResponse.Next(bundle);
        }

        if (values.Patients.Count == 0)
        {
            throw new InvalidOperationException("no Patients in the store: load it with region-load first");
        }

        // Shuffled once with a fixed seed: the same store gives the same values on every run.
        PatientFacts[] shuffled = [.. values.Patients];
        random.Shuffle(shuffled);
        foreach (PatientFacts patient in shuffled.Take(samples * 4))
        {
            if (values.PatientCodes.Count >= samples)
            {
                break;
            }

            Uri observations = SearchResponse.Url("Observation", [new("patient", "Patient/" + patient.Id), new("_count", "50")]);
            using JsonDocument bundle = await SearchResponse.GetBundleAsync(http, observations, CancellationToken.None).ConfigureAwait(false);
            List<(string Code, string? Day)> coded = [.. SearchResponse.Resources(bundle, "match").SelectMany(LoincCodes)];
            if (coded.Count == 0)
            {
                continue;
            }

            values.PatientCodes.Add((patient.Id, coded[random.Next(coded.Count)].Code));
            values.CodeDays.AddRange(coded.Where(c => c.Day is not null).OrderBy(_ => random.Next()).Select(c => (c.Code, c.Day!)).Take(2));
        }

        string[] organizations = [.. values.Patients.Select(p => p.OrganizationId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        foreach (string[] chunk in organizations.Chunk(IdsPerOrganizationSearch))
        {
            Uri url = SearchResponse.Url("Organization", [new("_id", string.Join(',', chunk)), new("_count", "100")]);
            using JsonDocument bundle = await SearchResponse.GetBundleAsync(http, url, CancellationToken.None).ConfigureAwait(false);
            foreach (JsonElement organization in SearchResponse.Resources(bundle, "match"))
            {
                if (SearchResponse.Text(organization, "id") is { } id && SearchResponse.Text(organization, "name") is { } name)
                {
                    values.OrganizationNames[id] = name;
                }
            }
        }

        return values;
    }

    private static IEnumerable<(string Code, string? Day)> LoincCodes(JsonElement observation)
    {
        string? effective = SearchResponse.Text(observation, "effectiveDateTime")
            ?? (observation.TryGetProperty("effectivePeriod", out JsonElement period) ? SearchResponse.Text(period, "start") : null);
        string? day = effective is { Length: >= 10 } ? effective[..10] : null;
        if (!observation.TryGetProperty("code", out JsonElement code) || !code.TryGetProperty("coding", out JsonElement codings))
        {
            yield break;
        }

        foreach (JsonElement coding in codings.EnumerateArray())
        {
            if (SearchResponse.Text(coding, "system") == "http://loinc.org" && SearchResponse.Text(coding, "code") is { } value)
            {
                yield return (value, day);
            }
        }
    }
}
