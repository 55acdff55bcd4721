using System.Buffers;
using System.Text;
using OpenHip.Fhir.Audit;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>One key of the audit log's patient index, ordered by patient (ordinal), then time, then event id.</summary>
public readonly record struct AuditPatientKey(string Patient, long Recorded, long Aid) : IComparable<AuditPatientKey>
{
    public int CompareTo(AuditPatientKey other)
    {
        int byPatient = string.CompareOrdinal(Patient, other.Patient);
        return byPatient != 0 ? byPatient : Recorded != other.Recorded ? Recorded.CompareTo(other.Recorded) : Aid.CompareTo(other.Aid);
    }

    public static bool operator <(AuditPatientKey left, AuditPatientKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(AuditPatientKey left, AuditPatientKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(AuditPatientKey left, AuditPatientKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(AuditPatientKey left, AuditPatientKey right) => left.CompareTo(right) >= 0;
}

/// <summary>
/// A page of the patient index kept as one blob: up to <see cref="MaxKeys"/> keys in key order, each stored against the
/// one before it. Format 1: <c>u8 1 | varint count | per key: varint bytes of the patient id shared with the previous
/// key's | varint length of the rest | the rest (UTF-8) | zigzag varint time − previous time (ms) | zigzag varint id −
/// previous id</c>; the first key's "previous" is an empty id, time 0 and id 0.
/// </summary>
/// <remarks>
/// SQLite's patient index kept its runs as such pages (<c>audit_patient_page</c>) from migration 7 to 8; they are still
/// read, and nothing writes them now (<see cref="HashedKeyPage"/>). A key copied from one run to the next as a row cost
/// ~3 µs (an INSERT ... SELECT into a B-tree, its WAL frames and their checkpoint), as part of a page merged in managed
/// code a fraction of that (docs/performance.md, "Sixteenth look").
/// </remarks>
public static class AuditKeyPage
{
    public const int MaxKeys = 256;

    private const byte Format = 1;

    /// <exception cref="ArgumentException">The keys are not in strictly increasing key order, or more than <see cref="MaxKeys"/>.</exception>
    public static byte[] Encode(ReadOnlySpan<AuditPatientKey> keys)
    {
        if (keys.Length is 0 or > MaxKeys)
        {
            throw new ArgumentException($"A page holds 1 to {MaxKeys} keys, not {keys.Length}", nameof(keys));
        }

        var buffer = new ArrayBufferWriter<byte>(keys.Length * 24);
        buffer.GetSpan(1)[0] = Format;
        buffer.Advance(1);
        CompactEncoding.WriteVarint(buffer, (ulong)keys.Length);
        byte[] previousId = [];
        AuditPatientKey? previous = null;
        foreach (AuditPatientKey key in keys)
        {
            if (previous is { } before && before.CompareTo(key) >= 0)
            {
                throw new ArgumentException($"Keys must be in increasing order: {key} follows {before}", nameof(keys));
            }

            // A patient's keys follow one another: its id is encoded once.
            byte[] id = previous is { } last && string.Equals(last.Patient, key.Patient, StringComparison.Ordinal) ? previousId : Encoding.UTF8.GetBytes(key.Patient);
            int shared = id.AsSpan().CommonPrefixLength(previousId);
            CompactEncoding.WriteVarint(buffer, (ulong)shared);
            CompactEncoding.WriteVarint(buffer, (ulong)(id.Length - shared));
            buffer.Write(id.AsSpan(shared));
            CompactEncoding.WriteVarint(buffer, ZigZag(key.Recorded - (previous?.Recorded ?? 0)));
            CompactEncoding.WriteVarint(buffer, ZigZag(key.Aid - (previous?.Aid ?? 0)));
            previousId = id;
            previous = key;
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the page's keys to <paramref name="keys"/>, in key order.</summary>
    /// <exception cref="FormatException">Not a page this format writes: unknown format, a count out of range, or the bytes end early.</exception>
    public static void Decode(ReadOnlySpan<byte> page, List<AuditPatientKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        int at = 0;
        int count = ReadCount(page, Format, ref at);

        byte[] id = new byte[64];
        int idLength = 0;
        string? patient = null;
        long recorded = 0;
        long aid = 0;
        for (int i = 0; i < count; i++)
        {
            ulong shared = CompactEncoding.ReadVarint64(page, ref at);
            ulong rest = CompactEncoding.ReadVarint64(page, ref at);
            if (shared > (ulong)idLength || rest > (ulong)(page.Length - at))
            {
                throw new FormatException("A patient index page's key runs past its bytes");
            }

            int length = (int)shared + (int)rest;
            if (length > id.Length)
            {
                Array.Resize(ref id, Math.Max(length, id.Length * 2));
            }

            page.Slice(at, (int)rest).CopyTo(id.AsSpan((int)shared));
            at += (int)rest;

            // A patient's keys follow one another: they share one string (decoding is most of a merge's garbage).
            if (patient is null || rest != 0 || length != idLength)
            {
                patient = Encoding.UTF8.GetString(id, 0, length);
            }

            idLength = length;
            recorded += UnZigZag(CompactEncoding.ReadVarint64(page, ref at));
            aid += UnZigZag(CompactEncoding.ReadVarint64(page, ref at));
            keys.Add(new AuditPatientKey(patient, recorded, aid));
        }

        if (at != page.Length)
        {
            throw new FormatException("A patient index page has bytes after its last key");
        }
    }

    /// <summary>Reads a page's format byte, which must be <paramref name="format"/>, and its key count.</summary>
    internal static int ReadCount(ReadOnlySpan<byte> page, byte format, ref int at)
    {
        if (page.IsEmpty || page[0] != format)
        {
            throw new FormatException($"Not a patient index page of format {format}");
        }

        at = 1;
        ulong count = CompactEncoding.ReadVarint64(page, ref at);
        return count is 0 or > MaxKeys ? throw new FormatException($"A patient index page holds 1 to {MaxKeys} keys, not {count}") : (int)count;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
