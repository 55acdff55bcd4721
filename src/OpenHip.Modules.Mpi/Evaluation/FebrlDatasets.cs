using System.Text.RegularExpressions;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Domain.Names;

namespace OpenHip.Modules.Mpi.Evaluation;

/// <summary>
/// FEBRL benchmark files (../shared/data/mpi/febrl, see its README): dataset3 is deduplication, dataset4a × 4b
/// linkage of two files without duplicates inside either. The entity is the number in rec-N-org / rec-N-dup-k.
/// </summary>
internal static partial class FebrlDatasets
{
    public static LabelledDataset Dedup(string folder, string file, bool withIds)
    {
        List<(PersonRecord Record, string Entity)> rows = Read(Path.Combine(folder, file), 0, withIds);
        return new LabelledDataset(
            Path.GetFileNameWithoutExtension(file) + (withIds ? string.Empty : " (no ID)"),
            [.. rows.Select(r => r.Record)],
            [.. rows.Select(r => r.Entity)],
            new LinkageOptions());
    }

    public static LabelledDataset Link(string folder, bool withIds)
    {
        List<(PersonRecord Record, string Entity)> rows =
            [.. Read(Path.Combine(folder, "dataset4a.csv"), 0, withIds), .. Read(Path.Combine(folder, "dataset4b.csv"), 1, withIds)];
        return new LabelledDataset(
            "dataset4" + (withIds ? string.Empty : " (no ID)"),
            [.. rows.Select(r => r.Record)],
            [.. rows.Select(r => r.Entity)],
            new LinkageOptions { CrossSourceOnly = true, Clustering = new ClusteringOptions { OneRecordPerSource = true } });
    }

    private static List<(PersonRecord, string)> Read(string path, int source, bool withIds) =>
        [.. CsvRows.Read(path).Select(row => (ToRecord(row, source, withIds), Entity(row["rec_id"])))];

    private static PersonRecord ToRecord(IReadOnlyDictionary<string, string> row, int source, bool withIds) => new()
    {
        Id = row["rec_id"],
        Source = source,
        Given = LatinNames.Normalize(row["given_name"]),
        Family = LatinNames.Normalize(row["surname"]),
        HouseNumber = row["street_number"],
        AddressLine = LatinNames.Normalize(row["address_1"]),
        AddressLine2 = LatinNames.Normalize(row["address_2"]),
        Locality = LatinNames.Normalize(row["suburb"]),
        PostalCode = row["postcode"],
        Region = row["state"],
        BirthDate = row["date_of_birth"].Length == 8 ? row["date_of_birth"] : string.Empty,

        // The soc_sec_id has no check digit: it is a national number whose validity cannot be known.
        NationalId = withIds ? row["soc_sec_id"] : string.Empty,
    };

    internal static string Entity(string recId) => EntityPattern().Match(recId).Groups[1].Value;

    [GeneratedRegex(@"rec-(\d+)")]
    private static partial Regex EntityPattern();
}
