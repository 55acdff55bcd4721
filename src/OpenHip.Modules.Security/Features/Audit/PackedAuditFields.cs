using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The fields a version 5 payload packs (<see cref="BinaryAuditPayload"/>): each starts with a tag byte, 0 for none and
/// 1 for the text as a plain string; the other tags stand for the shapes nearly every record's values take, and a
/// value is packed only when the text read back from its packed form is exactly the text given.
/// </summary>
/// <remarks>
/// The request's SM3 link hashes the previous hash and the payload in 64-byte blocks, of which 119 bytes fill two: a
/// read's payload of ~116 bytes took three, and the interaction's name, the resource type, the connection's trace id
/// and the address in text were a third of it (docs/performance.md, "Twenty-first look").
/// </remarks>
internal static class PackedAuditFields
{
    private const byte None = 0;
    private const byte Plain = 1;

    // Interaction: 2 + index. Append only: stored payloads keep the numbers.
    private static readonly string[] Interactions =
    [
        "read", "vread", "update", "patch", "delete", "history-instance", "history-type", "history-system", "create",
        "search-type", "search-system", "search-compartment", "capabilities", "batch", "transaction", "operation",
        "break-the-glass",
    ];

    // Resource: 2 + 3 × index for the type alone, 3 + 3 × index for "Type/" and a string, 4 + 3 × index for "Type/", a
    // UUID (as the server assigns ids) and what follows it. Append only.
    private static readonly string[] Types =
    [
        "Patient", "Observation", "Encounter", "Condition", "Procedure", "DiagnosticReport", "MedicationRequest",
        "MedicationDispense", "MedicationStatement", "MedicationAdministration", "Medication", "Immunization",
        "AllergyIntolerance", "CarePlan", "ServiceRequest", "DocumentReference", "Composition", "Specimen", "Practitioner",
        "PractitionerRole", "Organization", "Location", "Person", "Consent", "Task", "Provenance", "AuditEvent", "Bundle",
        "Coverage", "Claim", "ImagingStudy", "EpisodeOfCare", "Subscription", "CodeSystem", "ValueSet", "ConceptMap",
    ];

    private const int TypeForms = 3;
    private const int UuidLength = 36;

    // Correlation: Kestrel's trace identifier, "<connection id>:<request number>", the id as 13 characters of this
    // alphabet (4 bits, then 5 per character) and the number as 8 upper-case hex digits.
    private const byte Kestrel = 2;
    private const string ConnectionAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    private const int ConnectionLength = 13;
    private const int KestrelLength = ConnectionLength + 1 + 8;

    private const byte IPv4 = 4;
    private const byte IPv6 = 6;

    private static readonly Dictionary<string, int> InteractionCodes = Interactions.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> TypeCodes =
        Types.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>How many resource types a tag byte can name; the table stays within it.</summary>
    internal static int TypeCapacity => (byte.MaxValue - 4) / TypeForms + 1;

    internal static IReadOnlyList<string> TypeNames => Types;

    public static void WriteInteraction(ArrayBufferWriter<byte> buffer, string interaction)
    {
        if (InteractionCodes.TryGetValue(interaction, out int code))
        {
            WriteTag(buffer, (byte)(2 + code));
            return;
        }

        WritePlain(buffer, interaction);
    }

    public static string ReadInteraction(ReadOnlySpan<byte> payload, ref int at) =>
        ReadTag(payload, ref at) switch
        {
            None => throw new FormatException("An audit payload has no interaction"),
            Plain => CompactEncoding.ReadString(payload, ref at) ?? throw new FormatException("An audit payload's interaction is missing"),
            byte tag when tag - 2 < Interactions.Length => Interactions[tag - 2],
            _ => throw new FormatException("An audit payload names an interaction no version knows"),
        };

    public static void WriteResource(ArrayBufferWriter<byte> buffer, string? resource)
    {
        if (resource is null)
        {
            WriteTag(buffer, None);
            return;
        }

        int slash = resource.IndexOf('/', StringComparison.Ordinal);
        if (!TypeCodes.TryGetValue(slash < 0 ? resource : resource.AsSpan(0, slash), out int code))
        {
            WritePlain(buffer, resource);
            return;
        }

        int form = 2 + (TypeForms * code);
        if (slash < 0)
        {
            WriteTag(buffer, (byte)form);
            return;
        }

        ReadOnlySpan<char> rest = resource.AsSpan(slash + 1);
        if (TryUuid(rest, out Guid uuid))
        {
            WriteTag(buffer, (byte)(form + 2));
            uuid.TryWriteBytes(buffer.GetSpan(16), bigEndian: true, out _);
            buffer.Advance(16);
            if (rest.Length == UuidLength)
            {
                WriteTag(buffer, None);
            }
            else
            {
                CompactEncoding.WriteString(buffer, rest[UuidLength..]);
            }

            return;
        }

        WriteTag(buffer, (byte)(form + 1));
        CompactEncoding.WriteString(buffer, rest);
    }

    public static string? ReadResource(ReadOnlySpan<byte> payload, ref int at)
    {
        byte tag = ReadTag(payload, ref at);
        if (tag is None or Plain)
        {
            return tag == None ? null : CompactEncoding.ReadString(payload, ref at) ?? throw new FormatException("An audit payload's resource is missing");
        }

        (int code, int form) = Math.DivRem(tag - 2, TypeForms);
        if (code >= Types.Length)
        {
            throw new FormatException("An audit payload names a resource type no version knows");
        }

        string type = Types[code];
        switch (form)
        {
            case 0:
                return type;
            case 1:
                return type + "/" + (CompactEncoding.ReadString(payload, ref at) ?? throw new FormatException("An audit payload's resource id is missing"));
            default:
                var uuid = new Guid(Take(payload, ref at, 16), bigEndian: true);
                return type + "/" + uuid.ToString("D") + CompactEncoding.ReadString(payload, ref at);
        }
    }

    public static void WriteCorrelation(ArrayBufferWriter<byte> buffer, string? correlation)
    {
        if (correlation is null)
        {
            WriteTag(buffer, None);
            return;
        }

        if (!TryKestrel(correlation, out ulong connection, out uint request))
        {
            WritePlain(buffer, correlation);
            return;
        }

        Span<byte> span = buffer.GetSpan(13);
        span[0] = Kestrel;
        BinaryPrimitives.WriteUInt64LittleEndian(span[1..], connection);
        BinaryPrimitives.WriteUInt32LittleEndian(span[9..], request);
        buffer.Advance(13);
    }

    public static string? ReadCorrelation(ReadOnlySpan<byte> payload, ref int at)
    {
        switch (ReadTag(payload, ref at))
        {
            case None:
                return null;
            case Plain:
                return CompactEncoding.ReadString(payload, ref at) ?? throw new FormatException("An audit payload's correlation is missing");
            case Kestrel:
                ReadOnlySpan<byte> packed = Take(payload, ref at, 12);
                return FormatKestrel(BinaryPrimitives.ReadUInt64LittleEndian(packed), BinaryPrimitives.ReadUInt32LittleEndian(packed[8..]));
            default:
                throw new FormatException("An audit payload's correlation has a form no version knows");
        }
    }

    public static void WriteAddress(ArrayBufferWriter<byte> buffer, string? address)
    {
        if (address is null)
        {
            WriteTag(buffer, None);
            return;
        }

        Span<byte> span = buffer.GetSpan(17);
        if (TryIPv4(address, span[1..]))
        {
            span[0] = IPv4;
            buffer.Advance(5);
            return;
        }

        if (address.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(address, out IPAddress? ip) && FormatsAs(ip, address))
        {
            span[0] = IPv6;
            ip.TryWriteBytes(span[1..], out _);
            buffer.Advance(17);
            return;
        }

        WritePlain(buffer, address);
    }

    public static string? ReadAddress(ReadOnlySpan<byte> payload, ref int at) =>
        ReadTag(payload, ref at) switch
        {
            None => null,
            Plain => CompactEncoding.ReadString(payload, ref at) ?? throw new FormatException("An audit payload's address is missing"),
            IPv4 => new IPAddress(Take(payload, ref at, 4)).ToString(),
            IPv6 => new IPAddress(Take(payload, ref at, 16)).ToString(),
            _ => throw new FormatException("An audit payload's address has a form no version knows"),
        };

    // The server's ids are lower-case UUIDs; anything else (upper case, braces, no hyphens) would not read back the same.
    private static bool TryUuid(ReadOnlySpan<char> rest, out Guid uuid)
    {
        uuid = default;
        if (rest.Length < UuidLength || (rest.Length > UuidLength && rest[UuidLength] != '/')
            || !Guid.TryParseExact(rest[..UuidLength], "D", out uuid))
        {
            return false;
        }

        Span<char> text = stackalloc char[UuidLength];
        return uuid.TryFormat(text, out _, "D") && text.SequenceEqual(rest[..UuidLength]);
    }

    // By hand rather than IPAddress.TryParse, which allocates on every read's path and also takes forms ("1.2.3",
    // "010.0.0.1") whose text an address does not give back: four decimal parts, no leading zeros, each at most 255.
    private static bool TryIPv4(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        int part = 0;
        int value = -1;
        foreach (char c in text)
        {
            if (c == '.')
            {
                if (value < 0 || part == 3)
                {
                    return false;
                }

                bytes[part++] = (byte)value;
                value = -1;
            }
            else if (c is >= '0' and <= '9' && value != 0)
            {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (value < 0 || part != 3)
        {
            return false;
        }

        bytes[3] = (byte)value;
        return true;
    }

    // A scoped IPv6 address keeps its scope only in text; any address whose text is not the canonical one stays text.
    private static bool FormatsAs(IPAddress ip, string address)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6 || ip.ScopeId != 0)
        {
            return false;
        }

        Span<char> text = stackalloc char[64];
        return ip.TryFormat(text, out int written) && text[..written].SequenceEqual(address);
    }

    private static bool TryKestrel(string value, out ulong connection, out uint request)
    {
        connection = 0;
        request = 0;
        if (value.Length != KestrelLength || value[ConnectionLength] != ':' || Digit(value[0]) is not (>= 0 and < 16))
        {
            return false;
        }

        for (int i = 0; i < ConnectionLength; i++)
        {
            int digit = Digit(value[i]);
            if (digit < 0)
            {
                return false;
            }

            connection = (connection << 5) | (uint)digit;
        }

        for (int i = ConnectionLength + 1; i < KestrelLength; i++)
        {
            int digit = Digit(value[i]);
            if (digit is < 0 or >= 16)
            {
                return false;
            }

            request = (request << 4) | (uint)digit;
        }

        return true;
    }

    // The value of a character of ConnectionAlphabet (upper case only), -1 for any other.
    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'V' => c - 'A' + 10,
        _ => -1,
    };

    private static string FormatKestrel(ulong connection, uint request) =>
        string.Create(KestrelLength, (connection, request), static (text, value) =>
        {
            for (int i = ConnectionLength - 1; i >= 0; i--)
            {
                text[i] = ConnectionAlphabet[(int)(value.connection & 31)];
                value.connection >>= 5;
            }

            text[ConnectionLength] = ':';
            for (int i = KestrelLength - 1; i > ConnectionLength; i--)
            {
                text[i] = ConnectionAlphabet[(int)(value.request & 15)];
                value.request >>= 4;
            }
        });

    private static void WritePlain(ArrayBufferWriter<byte> buffer, string value)
    {
        WriteTag(buffer, Plain);
        CompactEncoding.WriteString(buffer, value);
    }

    private static void WriteTag(ArrayBufferWriter<byte> buffer, byte tag)
    {
        buffer.GetSpan(1)[0] = tag;
        buffer.Advance(1);
    }

    private static byte ReadTag(ReadOnlySpan<byte> payload, ref int at) =>
        at < payload.Length ? payload[at++] : throw new FormatException("An audit payload ends inside its fields");

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> payload, ref int at, int length)
    {
        if (length > payload.Length - at)
        {
            throw new FormatException("An audit payload ends inside its fields");
        }

        ReadOnlySpan<byte> taken = payload.Slice(at, length);
        at += length;
        return taken;
    }
}
