using OpenHip.Modules.Mpi.Domain.Comparison;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Domain.Names;

namespace OpenHip.Modules.Mpi.Evaluation;

/// <summary>
/// OpenCR's synthetic Uganda set (../shared/data/mpi/opencr-uganda): deduplication of 5,000 records with a
/// national identity number (NIN, no check digit), phone, sex, birth date and ART number.
/// </summary>
internal static class UgandaDataset
{
    public const string FileName = "uganda_data_v21_20201501.csv";

    public static LabelledDataset Read(string folder, bool withIds)
    {
        List<(PersonRecord Record, string Entity)> rows = [.. CsvRows.Read(Path.Combine(folder, FileName))
            .Select(row => (ToRecord(row, withIds), FebrlDatasets.Entity(row["rec_id"])))];
        return new LabelledDataset(
            "opencr-uganda" + (withIds ? string.Empty : " (no ID)"),
            [.. rows.Select(r => r.Record)],
            [.. rows.Select(r => r.Entity)],
            new LinkageOptions());
    }

    private static PersonRecord ToRecord(IReadOnlyDictionary<string, string> row, bool withIds) => new()
    {
        Id = row["rec_id"],
        Sex = row["sex"] switch
        {
            "m" => AdministrativeSex.Male,
            "f" => AdministrativeSex.Female,
            _ => AdministrativeSex.Unknown,
        },
        BirthDate = row["date_of_birth"].Length == 8 ? row["date_of_birth"] : string.Empty,
        Given = LatinNames.Normalize(row["given_name"]),
        Family = LatinNames.Normalize(row["surname"]),
        Phone = PhoneNumbers.Normalize(row["phone_number"]),
        NationalId = withIds ? row["uganda_nin"].ToUpperInvariant() : string.Empty,
        OtherIds = withIds && row["art_number"].Length > 0 ? ["art|" + row["art_number"].ToUpperInvariant()] : [],
    };
}
