using System.Text.Json;

namespace OpenHip.Benchmarks;

/// <summary>
/// One Synthea transaction Bundle from ../shared/data (323 entries: a Patient, 187 Observations, encounters, claims, ...)
/// and single resources taken from it byte for byte, so every benchmark works on the same realistic input.
/// </summary>
internal static class SyntheaSample
{
    private const string BundleFile = "synthea-r4-smart-on-fhir/Adolph_Smith_0c6b1f3d-edb2-422b-a0af-a262fb90ed07.json";

    private static readonly Lazy<byte[]> Bytes = new(() => File.ReadAllBytes(Path.Combine(DataDirectory(), BundleFile)));

    public static byte[] Bundle => Bytes.Value;

    /// <summary>The first resource of <paramref name="resourceType"/> in the Bundle, as the JSON a client would POST.</summary>
    public static byte[] FirstResource(string resourceType)
    {
        using JsonDocument document = JsonDocument.Parse(Bundle);
        foreach (JsonElement entry in document.RootElement.GetProperty("entry").EnumerateArray())
        {
            JsonElement resource = entry.GetProperty("resource");
            if (resource.GetProperty("resourceType").GetString() == resourceType)
            {
                return JsonSerializer.SerializeToUtf8Bytes(resource);
            }
        }

        throw new InvalidOperationException($"{BundleFile} has no {resourceType}");
    }

    /// <summary>
    /// OPENHIP_FHIR_DATA, else ../shared/data/fhir next to the checkout. BenchmarkDotNet runs each benchmark from a
    /// generated directory below this project's bin/, so the checkout is found by walking up to OpenHip.slnx.
    /// </summary>
    public static string DataDirectory()
    {
        if (Environment.GetEnvironmentVariable("OPENHIP_FHIR_DATA") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenHip.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "fhir"));
            }
        }

        throw new DirectoryNotFoundException("FHIR test data not found: set OPENHIP_FHIR_DATA to the shared data/fhir directory");
    }
}
