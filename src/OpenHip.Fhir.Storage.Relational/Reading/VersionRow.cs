using System.Data.Common;

namespace OpenHip.Fhir.Storage.Relational.Reading;

/// <summary>Reads <c>resource_version</c> rows selected with <see cref="Columns"/> into <see cref="StoredResource"/>.</summary>
public static class VersionRow
{
    /// <summary>The select list every version read uses, against the alias <c>v</c>; seq comes last.</summary>
    public const string Columns = "v.type, v.id, v.version, v.last_updated, v.deleted, v.method, v.json, v.seq";

    public const int SeqOrdinal = 7;

    /// <summary>Reads ordinals 0–6 (the same order as <c>SearchSqlBuilder.ResourceColumns</c>).</summary>
    public static StoredResource Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);

        // The blob comes out as the one byte[] the caller gets: no string or stream in between.
        ReadOnlyMemory<byte> json = reader.IsDBNull(6) ? ReadOnlyMemory<byte>.Empty : reader.GetFieldValue<byte[]>(6);
        return new StoredResource(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetInt64(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            reader.GetInt64(4) != 0,
            (WriteMethod)reader.GetInt64(5),
            json);
    }
}
