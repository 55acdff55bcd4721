using System.IO.Compression;
using System.Xml;
using Hl7.Fhir.Specification.Source;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// Every binding on a coded element (code, Coding, CodeableConcept) in the snapshots of the R4 core resource and data
/// type definitions, by type, read in one pass of the two bundles of specification.zip that hold them. Resolving each
/// type's StructureDefinition through <see cref="ZipSource"/> instead re-read its bundle up to the entry and built the
/// whole definition in Firely's model, type after type: about ten CPU-seconds of every process that checked bindings.
/// </summary>
internal static class CoreBindingTable
{
    private const string Fhir = "http://hl7.org/fhir";
    private const string Canonical = "http://hl7.org/fhir/StructureDefinition/";
    private static readonly string[] Bundles = ["profiles-types.xml", "profiles-resources.xml"];
    private static readonly HashSet<string> CodedTypes = new(StringComparer.Ordinal) { "code", "Coding", "CodeableConcept" };
    private static readonly Lazy<Dictionary<string, BindingRule[]>> Table = new(Read, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The bindings of the core definition of <paramref name="type"/>, all strengths, in snapshot order.</summary>
    public static BindingRule[] For(string type) => Table.Value.GetValueOrDefault(type) ?? [];

    private static Dictionary<string, BindingRule[]> Read()
    {
        string zip = ZipSource.CreateValidationSource().ZipPath;
        var table = new Dictionary<string, BindingRule[]>(StringComparer.Ordinal);
        using ZipArchive archive = ZipFile.OpenRead(zip);
        foreach (string name in Bundles)
        {
            ZipArchiveEntry entry = archive.GetEntry(name) ?? throw new InvalidOperationException($"{zip} has no {name}");
            using Stream stream = entry.Open();
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true });
            while (reader.ReadToFollowing("StructureDefinition", Fhir))
            {
                using XmlReader definition = reader.ReadSubtree();
                if (ReadDefinition(definition) is ({ } type, { } rules))
                {
                    table.TryAdd(type, rules);
                }
            }
        }

        return table;
    }

    // Only the snapshot's elements count, and within one only its own path, its types' codes and its binding's strength
    // and value set; everything else (extensions, constraints, mappings, the differential) is passed over.
    private static (string? Type, BindingRule[]? Rules) ReadDefinition(XmlReader reader)
    {
        string? url = null;
        List<BindingRule>? rules = null;
        reader.Read();
        int root = reader.Depth;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Depth == root + 1 && reader.LocalName == "url")
            {
                url = reader.GetAttribute("value");
            }
            else if (reader.Depth == root + 1 && reader.LocalName == "snapshot")
            {
                rules = [];
                using XmlReader snapshot = reader.ReadSubtree();
                snapshot.Read();
                while (snapshot.Read())
                {
                    if (snapshot.NodeType == XmlNodeType.Element && snapshot.Depth == 1 && snapshot.LocalName == "element")
                    {
                        using XmlReader element = snapshot.ReadSubtree();
                        if (ReadElement(element) is { } rule)
                        {
                            rules.Add(rule);
                        }
                    }
                }
            }
        }

        return url is not null && url.StartsWith(Canonical, StringComparison.Ordinal) && rules is not null ? (url[Canonical.Length..], [.. rules]) : (null, null);
    }

    private static BindingRule? ReadElement(XmlReader reader)
    {
        string? path = null;
        string? strength = null;
        string? valueSet = null;
        bool coded = false;
        string? child = null;
        reader.Read();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Depth == 1)
            {
                child = reader.LocalName;
                if (child == "path")
                {
                    path = reader.GetAttribute("value");
                }
            }
            else if (reader.Depth == 2)
            {
                switch (child, reader.LocalName)
                {
                    case ("type", "code"):
                        coded |= reader.GetAttribute("value") is { } code && CodedTypes.Contains(code);
                        break;
                    case ("binding", "strength"):
                        strength = reader.GetAttribute("value");
                        break;
                    case ("binding", "valueSet"):
                        valueSet = reader.GetAttribute("value");
                        break;
                    default:
                        break;
                }
            }
        }

        if (path is null || strength is null || valueSet is null || !coded || path.IndexOf('.', StringComparison.Ordinal) < 0)
        {
            return null;
        }

        string[] steps = [.. path.Split('.').Skip(1).Select(s => s.EndsWith("[x]", StringComparison.Ordinal) ? s[..^3] : s)];
        return new BindingRule(path, steps, strength, valueSet);
    }
}
