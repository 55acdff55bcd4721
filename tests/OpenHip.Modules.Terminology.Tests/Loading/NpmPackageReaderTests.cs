using System.Formats.Tar;
using System.IO.Compression;
using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

public sealed class NpmPackageReaderTests
{
    [Fact]
    public void Read_Package_TakesTheTerminologyInPackageFolderOnly()
    {
        List<LoadedResource> loaded = [.. NpmPackageReader.Read(Fixtures.NpmPackage)];

        Assert.Equal(
            ["CodeSystem/abo-blood-group", "ConceptMap/abo-to-snomed", "NamingSystem/example-mrn", "ValueSet/abo-blood-group"],
            loaded.Select(r => $"{r.Resource.TypeName}/{r.Resource.Id}").Order(StringComparer.Ordinal));
        CodeSystem blood = loaded.Select(r => r.Resource).OfType<CodeSystem>().Single();
        Assert.Equal(4, blood.Concept.Count);
        Assert.Equal("Blood group AB", blood.Concept[2].Designation[0].Value);
        Assert.EndsWith("!package/CodeSystem-abo-blood-group.json", loaded.Single(r => r.Resource is CodeSystem).Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidResource_NamesTheEntryAndElement()
    {
        using TemporaryFile file = Fixtures.Temporary("bad.tgz", string.Empty);
        string path = file.Path;
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "package/CodeSystem-bad.json")
            {
                DataStream = new MemoryStream("{\"resourceType\":\"CodeSystem\",\"id\":\"bad\",\"status\":\"active\",\"content\":\"complete\",\"colour\":\"red\"}"u8.ToArray()),
            };
            tar.WriteEntry(entry);
        }

        TerminologyLoadException ex = Assert.Throws<TerminologyLoadException>(() => NpmPackageReader.Read(path).ToList());

        Assert.Equal($"{path}!package/CodeSystem-bad.json", ex.File);
        Assert.Contains("colour", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotAPackage_SaysSo()
    {
        using TemporaryFile file = Fixtures.Temporary("broken.tgz", "this is not gzip");

        TerminologyLoadException ex = Assert.Throws<TerminologyLoadException>(() => NpmPackageReader.Read(file.Path).ToList());

        Assert.Contains("gzip", ex.Problem, StringComparison.Ordinal);
    }
}
