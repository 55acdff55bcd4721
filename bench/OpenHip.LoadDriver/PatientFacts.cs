using System.Text.Json;

namespace OpenHip.LoadDriver;

/// <summary>What the templates need of one Patient.</summary>
internal sealed record PatientFacts(string Id, string? Family, string? BirthDate, string? OrganizationId)
{
    public static PatientFacts From(JsonElement patient)
    {
        string? family = patient.TryGetProperty("name", out JsonElement names)
            ? names.EnumerateArray().Select(n => SearchResponse.Text(n, "family")).FirstOrDefault(f => f is not null)
            : null;
        string? organization = patient.TryGetProperty("managingOrganization", out JsonElement reference) ? SearchResponse.Text(reference, "reference") : null;
        return new PatientFacts(
            SearchResponse.Text(patient, "id") ?? throw new InvalidOperationException("a Patient without id"),
            family,
            SearchResponse.Text(patient, "birthDate"),
            organization?.StartsWith("Organization/", StringComparison.Ordinal) == true ? organization["Organization/".Length..] : null);
    }
}
