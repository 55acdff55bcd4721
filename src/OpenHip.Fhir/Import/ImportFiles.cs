using System.Text.Json;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Import;

/// <summary>
/// What <c>openhip import</c> reads from a folder, in file-name order: <c>*.ndjson</c> (one resource per line, the
/// FHIR bulk-data format) and <c>*.json</c> (a Bundle, whose entries' resources are imported, or a single resource).
/// </summary>
public static class ImportFiles
{
    public static IReadOnlyList<string> In(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw FhirException.BadRequest($"{folder} is not a folder");
        }

        return [.. Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The file's resources from <paramref name="skip"/> on; NDJSON streams, a Bundle file is read whole.</summary>
    public static IEnumerable<ImportItem> Read(string file, long skip)
    {
        return file.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) ? ReadLines(file, skip) : ReadBundle(file, skip);
    }

    private static IEnumerable<ImportItem> ReadLines(string file, long skip)
    {
        long ordinal = 0;
        long line = 0;
        foreach (string text in File.ReadLines(file))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (ordinal >= skip)
            {
                yield return new ImportItem(file, ordinal, $"{Path.GetFileName(file)}:{line}", System.Text.Encoding.UTF8.GetBytes(text), null, null);
            }

            ordinal++;
        }
    }

    private static IEnumerable<ImportItem> ReadBundle(string file, long skip)
    {
        byte[] bytes = File.ReadAllBytes(file);
        using JsonDocument document = Parse(bytes, file);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType", out JsonElement type))
        {
            throw FhirException.BadRequest($"{Path.GetFileName(file)}: not a FHIR resource (no resourceType)");
        }

        if (type.GetString() != "Bundle")
        {
            if (skip == 0)
            {
                yield return new ImportItem(file, 0, Path.GetFileName(file), bytes, null, null);
            }

            yield break;
        }

        if (!root.TryGetProperty("entry", out JsonElement entries) || entries.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        List<(JsonElement Resource, string? Id)> resources = [];
        Dictionary<string, string> references = new(StringComparer.Ordinal);
        foreach (JsonElement entry in entries.EnumerateArray())
        {
            if (!entry.TryGetProperty("resource", out JsonElement resource))
            {
                continue;
            }

            string? fullUrl = entry.TryGetProperty("fullUrl", out JsonElement url) ? url.GetString() : null;
            string? id = resource.TryGetProperty("id", out JsonElement own) ? own.GetString()
                : fullUrl?.StartsWith("urn:uuid:", StringComparison.Ordinal) == true ? fullUrl["urn:uuid:".Length..] : null;
            if (fullUrl is not null && id is not null && resource.TryGetProperty("resourceType", out JsonElement entryType))
            {
                references[fullUrl] = $"{entryType.GetString()}/{id}";
            }

            resources.Add((resource, id));
        }

        for (int ordinal = (int)Math.Min(skip, resources.Count); ordinal < resources.Count; ordinal++)
        {
            (JsonElement resource, string? id) = resources[ordinal];
            yield return new ImportItem(
                file, ordinal, $"{Path.GetFileName(file)} entry {ordinal}", System.Text.Encoding.UTF8.GetBytes(resource.GetRawText()), id, references);
        }
    }

    private static JsonDocument Parse(byte[] bytes, string file)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw FhirException.BadRequest($"{Path.GetFileName(file)}: not JSON ({ex.Message})");
        }
    }
}
