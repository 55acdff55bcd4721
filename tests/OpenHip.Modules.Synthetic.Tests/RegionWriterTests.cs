using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenHip.Modules.Synthetic.Domain;
using Xunit;

namespace OpenHip.Modules.Synthetic.Tests;

public sealed class RegionWriterTests(RegionFixture region) : IClassFixture<RegionFixture>
{
    private const string ResidentIdSystem = "http://openhip.org/sid/cn-resident-id";
    private static readonly FhirJsonDeserializer Strict = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    [Fact]
    public void Write_ProducesDocumentedLayout()
    {
        Assert.True(File.Exists(Path.Combine(region.Directory, "shared.json")));
        Assert.Equal(RegionFixture.Options.Patients, Directory.GetFiles(Path.Combine(region.Directory, "bundles"), "*.json").Length);
        Assert.True(File.Exists(Path.Combine(region.Directory, "ndjson", "Patient.ndjson")));
        Assert.True(File.Exists(Path.Combine(region.Directory, "identity_clusters.csv")));
        Assert.True(File.Exists(Path.Combine(region.Directory, "outbreaks.csv")));
        Assert.True(File.Exists(Path.Combine(region.Directory, "outbreak_cases.csv")));
        Assert.Equal(RegionFixture.Options.Patients, region.Summary.Residents);
    }

    [Fact]
    public void EveryBundle_ParsesStrictly_HasSourceAndResolvableReferences()
    {
        Bundle shared = Parse(Path.Combine(region.Directory, "shared.json"));
        var sharedIds = shared.Entry.Select(e => e.Resource!.TypeName + "/" + e.Resource.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(shared.Entry, e => Assert.Equal(Bundle.HTTPVerb.PUT, e.Request!.Method));
        int checkedReferences = 0;

        foreach (string file in Directory.GetFiles(Path.Combine(region.Directory, "bundles")))
        {
            Bundle bundle = Parse(file);
            Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
            var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToHashSet(StringComparer.Ordinal);
            foreach (Bundle.EntryComponent entry in bundle.Entry)
            {
                Assert.StartsWith("urn:uuid:", entry.FullUrl, StringComparison.Ordinal);
                Assert.Equal(Bundle.HTTPVerb.POST, entry.Request!.Method);
                Assert.Matches("^http://openhip.org/org/org-[0-9a-z-]+$", entry.Resource!.Meta!.Source);
                Assert.Contains("Organization/" + entry.Resource.Meta.Source!["http://openhip.org/org/".Length..], sharedIds);
                foreach (ResourceReference reference in Descendants(entry.Resource).OfType<ResourceReference>())
                {
                    string target = reference.Reference!;
                    Assert.True(
                        target.StartsWith("urn:uuid:", StringComparison.Ordinal) ? fullUrls.Contains(target) : sharedIds.Contains(target),
                        $"{Path.GetFileName(file)}: unresolved reference {target}");
                    checkedReferences++;
                }
            }
        }

        Assert.True(checkedReferences > region.Summary.Resources, "too few references were checked");
    }

    [Fact]
    public void IdentityClusters_MatchPatientsInBundles()
    {
        var labels = ReadCsv("identity_clusters.csv");
        var patients = new Dictionary<string, (Patient Patient, string File)>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(Path.Combine(region.Directory, "bundles")))
        {
            foreach (Bundle.EntryComponent entry in Parse(file).Entry.Where(e => e.Resource is Patient))
            {
                patients.Add(entry.FullUrl!["urn:uuid:".Length..], ((Patient)entry.Resource!, Path.GetFileNameWithoutExtension(file)));
            }
        }

        Assert.Equal(patients.Count, labels.Count);
        var variationsSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Dictionary<string, string> label in labels)
        {
            (Patient patient, string residentFile) = patients[label["patient_id"]];
            Assert.Equal(residentFile, label["resident_key"]);
            Assert.Contains(patient.Identifier, i => i.System == label["mrn_system"] && i.Value == label["mrn"]);
            Assert.Equal("Organization/" + label["organization_id"], patient.ManagingOrganization!.Reference);
            string? id = patient.Identifier.FirstOrDefault(i => i.System == ResidentIdSystem)?.Value;
            string[] variations = label["variations"].Length == 0 ? [] : label["variations"].Split(';');
            variationsSeen.UnionWith(variations);
            switch (label["id_number_state"])
            {
                case "valid":
                    Assert.True(ResidentIdNumber.IsValid(id!));
                    Assert.Equal(ResidentIdNumber.BirthDate(id!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), patient.BirthDate);
                    Assert.Equal(ResidentIdNumber.IsMale(id!) ? AdministrativeGender.Male : AdministrativeGender.Female, patient.Gender);
                    break;
                case "corrupted":
                    Assert.False(ResidentIdNumber.IsValid(id!));
                    Assert.Contains("transposed-id-digits", variations);
                    break;
                case "missing":
                    Assert.Null(id);
                    Assert.Contains("missing-id", variations);
                    break;
                default:
                    Assert.Equal("none", label["id_number_state"]);
                    Assert.Contains(patient.Identifier, i => i.Type?.Coding[0].Code == "PPN");
                    break;
            }

            if (variations.Contains("pinyin-only"))
            {
                Assert.Single(patient.Name);
            }
        }

        foreach (string kind in new[] { "missing-id", "transposed-id-digits", "homophone-char", "swapped-given", "pinyin-only", "changed-phone", "changed-address" })
        {
            Assert.Contains(kind, variationsSeen);
        }
    }

    [Fact]
    public void Outbreaks_LabelledCasesArePresentInTheData()
    {
        var outbreaks = ReadCsv("outbreaks.csv");
        var cases = ReadCsv("outbreak_cases.csv");
        Assert.Equal(2, outbreaks.Count);
        Assert.True(cases.Count > 0);
        foreach (Dictionary<string, string> outbreak in outbreaks)
        {
            var own = cases.Where(c => c["outbreak_id"] == outbreak["outbreak_id"]).ToList();
            Assert.Equal(int.Parse(outbreak["cases"], CultureInfo.InvariantCulture), own.Count);
            foreach (Dictionary<string, string> outbreakCase in own)
            {
                Bundle bundle = Parse(Path.Combine(region.Directory, "bundles", outbreakCase["resident_key"] + ".json"));
                var condition = (Condition)bundle.Entry.Single(e => e.FullUrl == "urn:uuid:" + outbreakCase["condition_id"]).Resource!;
                Assert.Equal(outbreak["disease_code"], condition.Code!.Coding[0].Code);
                string onset = ((FhirDateTime)condition.Onset!).Value!;
                Assert.InRange(string.CompareOrdinal(onset, outbreak["start"]), 0, int.MaxValue);
                Assert.InRange(string.CompareOrdinal(onset, outbreak["end"]), int.MinValue, 0);
                var patient = (Patient)bundle.Entry.Single(e => e.FullUrl == condition.Subject!.Reference).Resource!;
                Assert.Equal("urn:uuid:" + outbreakCase["patient_id"], condition.Subject!.Reference);
                Assert.Contains(patient.Address, a => a.GetExtensionValue<Code>("http://openhip.org/fhir/StructureDefinition/division-code")?.Value == outbreak["division_code"]);
            }
        }
    }

    [Fact]
    public void Ndjson_ResourcesHaveIdsAndPlainReferences()
    {
        int lines = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(region.Directory, "ndjson")))
        {
            foreach (string line in File.ReadLines(file))
            {
                Resource resource = Strict.DeserializeResource(line);
                Assert.False(string.IsNullOrEmpty(resource.Id));
                Assert.DoesNotContain("urn:uuid:", line, StringComparison.Ordinal);
                lines++;
            }
        }

        Assert.Equal(region.Summary.Resources, lines);
    }

    [Fact]
    public void Write_SameSeedSameBytes_DifferentSeedDifferentBytes()
    {
        var options = RegionFixture.Options with { Patients = 60 };
        string a = Temp();
        string b = Temp();
        string c = Temp();
        try
        {
            new RegionWriter(new SyntheticRegionGenerator(options)).Write(a);
            new RegionWriter(new SyntheticRegionGenerator(options)).Write(b);
            new RegionWriter(new SyntheticRegionGenerator(options with { Seed = options.Seed + 1 })).Write(c);

            Assert.Equal(Hashes(a), Hashes(b));
            Assert.NotEqual(Hashes(a)["bundles/R0000001.json"], Hashes(c)["bundles/R0000001.json"]);
        }
        finally
        {
            foreach (string dir in new[] { a, b, c })
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Write_NonEmptyDirectory_Refuses()
    {
        Assert.Throws<InvalidOperationException>(() => new RegionWriter(region.Generator).Write(region.Directory));
    }

    private static IEnumerable<Base> Descendants(Base node)
    {
        foreach (KeyValuePair<string, object> element in node.EnumerateElements())
        {
            IEnumerable<Base> children = element.Value switch
            {
                Base single => [single],
                IEnumerable<Base> many => many,
                _ => [],
            };
            foreach (Base child in children)
            {
                yield return child;
                foreach (Base descendant in Descendants(child))
                {
                    yield return descendant;
                }
            }
        }
    }

    private static Bundle Parse(string file) => (Bundle)Strict.DeserializeResource(File.ReadAllText(file));

    private List<Dictionary<string, string>> ReadCsv(string name)
    {
        string[] lines = File.ReadAllLines(Path.Combine(region.Directory, name));
        string[] header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(line =>
        {
            string[] cells = line.Split(',');
            return header.Select((h, i) => (h, cells[i])).ToDictionary(p => p.h, p => p.Item2, StringComparer.Ordinal);
        })];
    }

    private static string Temp() => Path.Combine(Path.GetTempPath(), "openhip-synthetic-" + Guid.NewGuid().ToString("N"));

    private static SortedDictionary<string, string> Hashes(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            result[Path.GetRelativePath(root, file).Replace('\\', '/')] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return result;
    }
}
