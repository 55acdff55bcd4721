using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// A FHIR NPM package (.tgz, as the FHIR package registry serves them): the CodeSystem, ValueSet, ConceptMap and
/// NamingSystem resources among the JSON files directly in its <c>package/</c> folder (examples and other subfolders
/// are not content). Each file is parsed strictly, so a broken resource names its file.
/// </summary>
internal static class NpmPackageReader
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem" };

    public static IEnumerable<LoadedResource> Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        List<LoadedResource> resources = [];
        while (Next(tar, path) is { } entry)
        {
            string name = entry.Name.Replace('\\', '/');
            if (entry.DataStream is null || !name.StartsWith("package/", StringComparison.Ordinal) ||
                name.IndexOf('/', "package/".Length) >= 0 || !name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string origin = $"{path}!{name}";
            using var content = new MemoryStream();
            entry.DataStream.CopyTo(content);
            ReadOnlySpan<byte> json = content.GetBuffer().AsSpan(0, (int)content.Length);
            if (json.StartsWith("\uFEFF"u8))
            {
                json = json[3..];
            }

            if (ResourceType(json, origin) is not { } type || !Types.Contains(type))
            {
                continue;
            }

            Resource resource;
            try
            {
                resource = FhirCodec.ParseJson(json);
            }
            catch (FhirException ex)
            {
                throw new TerminologyLoadException(origin, null, string.Join("; ", ex.Issues.Select(i => i.Expression is null ? i.Diagnostics : $"{i.Expression}: {i.Diagnostics}")));
            }

            resource.Id ??= IdOf(resource, origin);
            resources.Add(new LoadedResource(resource, origin));
        }

        return resources.Count > 0 ? resources : throw new TerminologyLoadException(path, null, "the package holds no CodeSystem, ValueSet, ConceptMap or NamingSystem in package/");
    }

    private static TarEntry? Next(TarReader tar, string path)
    {
        try
        {
            return tar.GetNextEntry();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new TerminologyLoadException(path, null, $"not a gzip-compressed tar package: {ex.Message}");
        }
    }

    /// <summary>The top-level resourceType of a package file; null for files that are not FHIR resources (package.json, .index.json).</summary>
    private static string? ResourceType(ReadOnlySpan<byte> json, string origin)
    {
        try
        {
            return JsonPeek.TopLevelString(json, "resourceType"u8);
        }
        catch (JsonException ex)
        {
            throw new TerminologyLoadException(origin, ex.LineNumber + 1, $"not valid JSON: {ex.Message}");
        }
    }

    private static string IdOf(Resource resource, string origin)
    {
        string? id = resource switch
        {
            IVersionableConformanceResource { Url: { } url } => StableIds.FromUrl(url),
            NamingSystem { Name: { } name } => StableIds.FromUrl(name),
            _ => null,
        };
        return StableIds.IsValid(id) ? id! : throw new TerminologyLoadException(origin, null, "the resource has neither an id nor a url to derive one from");
    }
}
