using System.IO.Compression;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using OpenHip.Modules.Terminology.Loading;

namespace OpenHip.Modules.Terminology.Content;

/// <summary>
/// The CodeSystems and ValueSets of the FHIR R4 (4.0.1) core specification, from the specification.zip of the
/// Hl7.Fhir.Specification.Data.R4 package that the profile validator already reads.
/// </summary>
internal static class CoreSpecificationContent
{
    // The three bundles of the specification that hold its terminology. Reading them whole is an order of magnitude
    // faster than resolving ~2,400 artifacts one by one through ZipSource's index.
    private static readonly string[] Bundles = ["valuesets.xml", "v3-codesystems.xml", "v2-tables.xml"];

    /// <summary>Names the content for the store's record of what it holds: a new Firely package may carry corrections.</summary>
    public static string Fingerprint =>
        $"r4-core@{typeof(ZipSource).Assembly.GetName().Version}";

    public static IReadOnlyList<LoadedResource> Load()
    {
        string zip = ZipSource.CreateValidationSource().ZipPath;

        // The bundles parse independently (each from its own archive handle: ZipArchive is not thread-safe); in order
        // afterwards, so the result is the same on every run.
        var bundles = new IReadOnlyList<DomainResource>[Bundles.Length];
        Parallel.For(0, Bundles.Length, i => bundles[i] = Read(zip, Bundles[i]));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<LoadedResource> resources = [];
        for (int i = 0; i < Bundles.Length; i++)
        {
            foreach (DomainResource resource in bundles[i])
            {
                if (resource is not (CodeSystem or ValueSet) || resource.Id is null || !seen.Add($"{resource.TypeName}/{resource.Id}"))
                {
                    continue;
                }

                // The narratives are the specification's rendered pages, with links relative to hl7.org: they would be
                // most of the bytes written and read, for text every client renders from the codes anyway.
                resource.Text = null;
                resources.Add(new LoadedResource(resource, $"specification.zip!{Bundles[i]}"));
            }
        }

        return resources;
    }

    private static IReadOnlyList<DomainResource> Read(string zip, string name)
    {
        var deserializer = new FhirXmlDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));
        var xml = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        using ZipArchive archive = ZipFile.OpenRead(zip);
        ZipArchiveEntry entry = archive.GetEntry(name) ?? throw new InvalidOperationException($"{zip} has no {name}");
        using Stream stream = entry.Open();
        using var reader = XmlReader.Create(stream, xml);
        var bundle = (Bundle)deserializer.DeserializeResource(reader);
        return [.. bundle.Entry.Select(e => e.Resource).OfType<DomainResource>()];
    }
}
