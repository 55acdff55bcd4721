using System.Buffers;
using System.Buffers.Binary;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// Payload versions 3 to 5: <c>u8 version | i64 when (UTC ticks) | u16 outcome | u8 flags | fields | patients |
/// purposes</c>, little-endian. The fields are interaction, who, source, resource, correlation, client, user, network
/// address and query, each as a 7-bit varint of (UTF-8 length + 1) and its bytes, 0 for none; a list is a varint count
/// and its strings. Flag 1 marks a high priority, flag 2 a patient list that is just the id of the Patient the resource
/// names. Version 5 (written now) packs the interaction, resource, correlation and address
/// (<see cref="PackedAuditFields"/>), and leaves the client out under flag 4, when it is the caller's name.
/// Versions 4 and 5 are chained alike (<see cref="AuditRowHash"/>): the payload's time stands for the row's recorded
/// time in the chain hash; version 3 was chained with the row's fields beside the payload.
/// </summary>
/// <remarks>
/// Every audited read writes, hashes (SM3), journals and stores one payload, so its size is paid four times per request:
/// the JSON of versions 1–2 was about twice these bytes (property names, a 33-character time, the patient id twice) and
/// cost the escaping encoder on every string.
/// </remarks>
internal static class BinaryAuditPayload
{
    public const byte Version = 5;

    /// <summary>Version 5's layout with every field a plain string, chained as version 5.</summary>
    private const byte Unpacked = 4;

    /// <summary>Version 4's layout, chained with the row's fields beside the payload.</summary>
    private const byte SeparatelyChained = 3;

    private const byte HighPriority = 1;
    private const byte PatientIsResource = 2;
    private const byte ClientIsWho = 4;
    private const string PatientPrefix = "Patient/";

    // Far above any real record; a larger count or length is damage, not data.
    private const int MaxItems = 100_000;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    public static byte[] Write(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArrayBufferWriter<byte> buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        bool patientIsResource = record.Patients is [string only] && IsPatientOf(record.Resource, only);
        bool clientIsWho = record.ClientId is not null && string.Equals(record.ClientId, record.Who, StringComparison.Ordinal);
        byte flags = (byte)((record.Priority == AuditPriority.High ? HighPriority : 0)
            | (patientIsResource ? PatientIsResource : 0)
            | (clientIsWho ? ClientIsWho : 0));

        Span<byte> head = buffer.GetSpan(12);
        head[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(head[1..], record.When.UtcTicks);
        BinaryPrimitives.WriteUInt16LittleEndian(head[9..], checked((ushort)record.Outcome));
        head[11] = flags;
        buffer.Advance(12);

        PackedAuditFields.WriteInteraction(buffer, record.Interaction);
        CompactEncoding.WriteString(buffer, record.Who);
        CompactEncoding.WriteString(buffer, record.Source);
        PackedAuditFields.WriteResource(buffer, record.Resource);
        PackedAuditFields.WriteCorrelation(buffer, record.CorrelationId);
        if (!clientIsWho)
        {
            CompactEncoding.WriteString(buffer, record.ClientId);
        }

        CompactEncoding.WriteString(buffer, record.User);
        PackedAuditFields.WriteAddress(buffer, record.NetworkAddress);
        CompactEncoding.WriteString(buffer, record.Query);
        WriteStrings(buffer, patientIsResource ? [] : record.Patients);
        WriteStrings(buffer, record.PurposeOfUse);
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes end early, run on, or hold a length that cannot be.</exception>
    public static AuditRecord Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 12 || !IsBinary(payload))
        {
            throw new FormatException("Not a version 3, 4 or 5 audit payload");
        }

        long ticks = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new FormatException("An audit payload's time is out of range");
        }

        int outcome = BinaryPrimitives.ReadUInt16LittleEndian(payload[9..]);
        byte flags = payload[11];
        bool packed = payload[0] == Version;
        int at = 12;
        string interaction = packed ? PackedAuditFields.ReadInteraction(payload, ref at) : CompactEncoding.ReadString(payload, ref at) ?? "unknown";
        string? who = CompactEncoding.ReadString(payload, ref at);
        string? source = CompactEncoding.ReadString(payload, ref at);
        string? resource = packed ? PackedAuditFields.ReadResource(payload, ref at) : CompactEncoding.ReadString(payload, ref at);
        string? correlation = packed ? PackedAuditFields.ReadCorrelation(payload, ref at) : CompactEncoding.ReadString(payload, ref at);
        string? client = packed && (flags & ClientIsWho) != 0
            ? who ?? throw new FormatException("An audit payload's client is its caller, who is missing")
            : CompactEncoding.ReadString(payload, ref at);
        string? user = CompactEncoding.ReadString(payload, ref at);
        string? address = packed ? PackedAuditFields.ReadAddress(payload, ref at) : CompactEncoding.ReadString(payload, ref at);
        string? query = CompactEncoding.ReadString(payload, ref at);
        List<string> patients = ReadStrings(payload, ref at);
        List<string> purposes = ReadStrings(payload, ref at);
        if (at != payload.Length)
        {
            throw new FormatException("An audit payload runs on past its last field");
        }

        if ((flags & PatientIsResource) != 0)
        {
            patients = resource is not null && resource.StartsWith(PatientPrefix, StringComparison.Ordinal)
                ? [resource[PatientPrefix.Length..].Split('/')[0]]
                : throw new FormatException("An audit payload names its resource's patient, but its resource is no Patient");
        }

        return new AuditRecord(new DateTimeOffset(ticks, TimeSpan.Zero), interaction, who, source, resource, patients, outcome, correlation)
        {
            Priority = (flags & HighPriority) != 0 ? AuditPriority.High : AuditPriority.Normal,
            ClientId = client,
            User = user,
            PurposeOfUse = purposes,
            NetworkAddress = address,
            Query = query,
        };
    }

    public static bool IsBinary(ReadOnlySpan<byte> payload) => !payload.IsEmpty && payload[0] is Version or Unpacked or SeparatelyChained;

    /// <summary>Whether the payload's row is linked as <c>SM3(previous || payload)</c> (versions 4 and 5).</summary>
    public static bool LinksCompactly(ReadOnlySpan<byte> payload) => !payload.IsEmpty && payload[0] is Version or Unpacked;

    /// <summary>The payload's time as unix milliseconds, as a row's recorded time is kept; null when it holds no time.</summary>
    /// <remarks>Arithmetic, not <see cref="DateTimeOffset"/>: a damaged payload's ticks may lie outside its range, which
    /// must read as a time that does not match rather than throw.</remarks>
    public static long? RecordedMillisOf(ReadOnlySpan<byte> payload) =>
        payload.Length >= 9 && IsBinary(payload)
            ? (BinaryPrimitives.ReadInt64LittleEndian(payload[1..]) / TimeSpan.TicksPerMillisecond) - (DateTimeOffset.UnixEpoch.UtcTicks / TimeSpan.TicksPerMillisecond)
            : null;

    // "Patient/{id}" or "Patient/{id}/_history/{n}", as AuditGate names what a read touched.
    private static bool IsPatientOf(string? resource, string patient) =>
        resource is not null
        && resource.StartsWith(PatientPrefix, StringComparison.Ordinal)
        && resource.AsSpan(PatientPrefix.Length).StartsWith(patient, StringComparison.Ordinal)
        && (resource.Length == PatientPrefix.Length + patient.Length || resource[PatientPrefix.Length + patient.Length] == '/')
        && patient.Length > 0
        && !patient.Contains('/', StringComparison.Ordinal);

    private static void WriteStrings(ArrayBufferWriter<byte> buffer, IReadOnlyList<string> values)
    {
        CompactEncoding.WriteVarint(buffer, (uint)values.Count);
        foreach (string value in values)
        {
            CompactEncoding.WriteString(buffer, value);
        }
    }

    private static List<string> ReadStrings(ReadOnlySpan<byte> payload, ref int at)
    {
        uint count = CompactEncoding.ReadVarint(payload, ref at);
        if (count > MaxItems)
        {
            throw new FormatException("An audit payload's list is longer than any record's");
        }

        var values = new List<string>((int)count);
        for (int i = 0; i < count; i++)
        {
            values.Add(CompactEncoding.ReadString(payload, ref at) ?? throw new FormatException("An audit payload's list holds a missing string"));
        }

        return values;
    }
}
