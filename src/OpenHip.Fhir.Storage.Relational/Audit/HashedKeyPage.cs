using System.IO.Hashing;
using System.Runtime.InteropServices;
using OpenHip.Fhir.Audit;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>
/// One key of the audit log's patient index: the patient as a hash of its id (<see cref="Of"/>), then time, then event
/// id. Ordered as signed numbers, the order SQLite's integer columns give the pages' bounds.
/// </summary>
/// <remarks>
/// Ids of different patients may share a hash, so a key says only that an event may name the patient: readers keep the
/// events whose payload names the patient (<see cref="AuditQuery.NamesPatient"/>).
/// </remarks>
public readonly record struct HashedPatientKey(long Patient, long Recorded, long Aid) : IComparable<HashedPatientKey>
{
    public int CompareTo(HashedPatientKey other) =>
        Patient != other.Patient ? Patient.CompareTo(other.Patient)
        : Recorded != other.Recorded ? Recorded.CompareTo(other.Recorded)
        : Aid.CompareTo(other.Aid);

    /// <summary>
    /// XXH3 (64 bits, seed 0) of the id's UTF-16 code units, little-endian. Never changed: it is what every stored key
    /// holds. Not keyed: an id made to share another's hash only adds events that readers then leave out.
    /// </summary>
    public static long Of(string patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(patient.AsSpan()));
    }

    public static bool operator <(HashedPatientKey left, HashedPatientKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(HashedPatientKey left, HashedPatientKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(HashedPatientKey left, HashedPatientKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(HashedPatientKey left, HashedPatientKey right) => left.CompareTo(right) >= 0;
}

/// <summary>
/// A page of the patient index (<c>audit_patient_hash_page</c>): up to <see cref="MaxKeys"/> keys in key order, each
/// stored against the one before it. Format 2: <c>u8 2 | varint count | per key: varint patient − previous patient
/// (unsigned, modulo 2^64) | zigzag varint time − previous time (ms) | zigzag varint id − previous id</c>; the first
/// key's "previous" is patient, time and id 0.
/// </summary>
/// <remarks>
/// Format 1 (<see cref="AuditKeyPage"/>) held each patient's id, so that merging runs compared, decoded and encoded
/// strings, with a string per patient per page to collect: with numbers a merge takes about half the CPU
/// (docs/performance.md, "Twenty-eighth look").
/// </remarks>
public static class HashedKeyPage
{
    public const int MaxKeys = AuditKeyPage.MaxKeys;

    /// <summary>The most bytes a page takes: a format byte, a count and three ten-byte varints per key.</summary>
    public const int MaxBytes = 1 + 2 + (MaxKeys * 30);

    private const byte Format = 2;

    /// <summary>Writes the page into <paramref name="destination"/> (at least <see cref="MaxBytes"/>) and returns its length.</summary>
    /// <exception cref="ArgumentException">The keys are not in strictly increasing key order, or more than <see cref="MaxKeys"/>.</exception>
    public static int Encode(ReadOnlySpan<HashedPatientKey> keys, Span<byte> destination)
    {
        if (keys.Length is 0 or > MaxKeys)
        {
            throw new ArgumentException($"A page holds 1 to {MaxKeys} keys, not {keys.Length}", nameof(keys));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxBytes, nameof(destination));
        int at = 0;
        destination[at++] = Format;
        CompactEncoding.WriteVarint(destination, ref at, (ulong)keys.Length);
        HashedPatientKey previous = default;
        for (int i = 0; i < keys.Length; i++)
        {
            HashedPatientKey key = keys[i];
            if (i > 0 && previous.CompareTo(key) >= 0)
            {
                throw new ArgumentException($"Keys must be in increasing order: {key} follows {previous}", nameof(keys));
            }

            CompactEncoding.WriteVarint(destination, ref at, unchecked((ulong)(key.Patient - previous.Patient)));
            CompactEncoding.WriteVarint(destination, ref at, ZigZag(key.Recorded - previous.Recorded));
            CompactEncoding.WriteVarint(destination, ref at, ZigZag(key.Aid - previous.Aid));
            previous = key;
        }

        return at;
    }

    /// <summary>Appends the page's keys to <paramref name="keys"/>, in key order.</summary>
    /// <exception cref="FormatException">Not a page this format writes: unknown format, a count out of range, keys out of order, or the bytes end early.</exception>
    public static void Decode(ReadOnlySpan<byte> page, List<HashedPatientKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        int at = 0;
        int count = AuditKeyPage.ReadCount(page, Format, ref at);
        HashedPatientKey previous = default;
        for (int i = 0; i < count; i++)
        {
            var key = new HashedPatientKey(
                unchecked(previous.Patient + (long)CompactEncoding.ReadVarint64(page, ref at)),
                previous.Recorded + UnZigZag(CompactEncoding.ReadVarint64(page, ref at)),
                previous.Aid + UnZigZag(CompactEncoding.ReadVarint64(page, ref at)));
            if (i > 0 && previous.CompareTo(key) >= 0)
            {
                throw new FormatException("A patient index page's keys are out of order");
            }

            keys.Add(key);
            previous = key;
        }

        if (at != page.Length)
        {
            throw new FormatException("A patient index page has bytes after its last key");
        }
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
