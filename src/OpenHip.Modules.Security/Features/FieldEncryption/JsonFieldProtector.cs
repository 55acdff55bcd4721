using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// Encrypts and decrypts element values inside stored resource JSON: any object whose <c>system</c> is protected has
/// its string <c>value</c> replaced by an <see cref="EncryptedValue"/> (Identifier, ContactPoint, Reference.identifier,
/// in contained resources and Bundle entries too). It works on the stored bytes, below the engine, so every path that
/// writes or reads resources (REST, transactions, import, reindex, MPI) goes through it without knowing. Only the
/// replaced strings are written; every other byte of the document is copied as it was (<see cref="JsonSplice"/>).
/// </summary>
internal static class JsonFieldProtector
{
    private const int ScratchSize = 512;

    /// <summary>
    /// The document with every protected value encrypted under <paramref name="key"/>, and those plaintexts (so the
    /// caller can keep them out of the index too); null when there was nothing to protect.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">Not valid JSON (see <see cref="ValueSiteScanner.Scan"/>).</exception>
    public static (byte[] Json, HashSet<string> Plaintexts)? Protect(
        ReadOnlyMemory<byte> json, ProtectedSystems systems, DataKey key, string type, string id)
    {
        if (json.IsEmpty || !systems.MayOccurIn(json.Span))
        {
            return null;
        }

        ReadOnlySpan<byte> document = json.Span;
        List<StringReplacement>? replacements = null;
        HashSet<string>? plaintexts = null;
        foreach (ValueSite site in ValueSiteScanner.Scan(document))
        {
            if (site.System is not { } systemRange)
            {
                continue;
            }

            using var scratch = new Scratch(systemRange.Length + site.Value.Length + EncryptedValue.MaxAssociatedDataLength(type, id, systemRange.Length));
            Span<byte> buffer = scratch.Buffer;
            ReadOnlySpan<byte> system = systemRange.Content(document, buffer[..systemRange.Length]);
            if (!systems.IsProtected(system))
            {
                continue;
            }

            ReadOnlySpan<byte> value = site.Value.Content(document, buffer.Slice(systemRange.Length, site.Value.Length));
            if (EncryptedValue.IsEncrypted(value))
            {
                continue;
            }

            Span<byte> associatedData = buffer[(systemRange.Length + site.Value.Length)..];
            int associatedLength = EncryptedValue.AssociatedData(type, id, system, associatedData);
            (plaintexts ??= new(StringComparer.Ordinal)).Add(Encoding.UTF8.GetString(value));
            (replacements ??= []).Add(new StringReplacement(site.Value, EncryptedValue.EncryptUtf8(key, value, associatedData[..associatedLength])));
        }

        return replacements is null ? null : (JsonSplice.Apply(document, replacements), plaintexts!);
    }

    /// <summary>Whether the stored document holds any encrypted value (a byte search; most documents hold none).</summary>
    public static bool NeedsReveal(ReadOnlySpan<byte> json) => !json.IsEmpty && json.IndexOf(EncryptedValue.JsonMarker) >= 0;

    /// <summary>The document with its encrypted values decrypted, and the plaintexts.</summary>
    /// <param name="keys">Looks a data key up by id (loading it is the caller's business: see <see cref="ProtectedFhirStore"/>).</param>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A value was altered, moved, or its key is unknown.</exception>
    public static (byte[] Json, HashSet<string> Plaintexts) Reveal(ReadOnlySpan<byte> json, Func<string, DataKey> keys, string type, string id)
    {
        List<StringReplacement> replacements = [];
        HashSet<string> plaintexts = new(StringComparer.Ordinal);
        foreach (ValueSite site in ValueSiteScanner.Scan(json))
        {
            int systemLength = site.System?.Length ?? 0;
            using var scratch = new Scratch(site.Value.Length + systemLength + EncryptedValue.MaxAssociatedDataLength(type, id, systemLength));
            Span<byte> buffer = scratch.Buffer;
            ReadOnlySpan<byte> value = site.Value.Content(json, buffer[..site.Value.Length]);
            if (!EncryptedValue.IsEncrypted(value))
            {
                continue;
            }

            ReadOnlySpan<byte> system = site.System is { } systemRange ? systemRange.Content(json, buffer.Slice(site.Value.Length, systemLength)) : [];
            Span<byte> associatedData = buffer[(site.Value.Length + systemLength)..];
            int associatedLength = EncryptedValue.AssociatedData(type, id, system, associatedData);
            byte[] plaintext = EncryptedValue.DecryptUtf8(keys(EncryptedValue.KeyIdOf(value)), value, associatedData[..associatedLength]);
            plaintexts.Add(Encoding.UTF8.GetString(plaintext));

            // Escaped as the engine writes stored JSON (never embedded in HTML, so non-ASCII text such as Han names stays UTF-8).
            byte[] content = JavaScriptEncoder.UnsafeRelaxedJsonEscaping.FindFirstCharacterToEncodeUtf8(plaintext) < 0
                ? plaintext
                : System.Text.Json.JsonEncodedText.Encode(plaintext, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray();
            replacements.Add(new StringReplacement(site.Value, content));
        }

        return (JsonSplice.Apply(json, replacements), plaintexts);
    }

    /// <summary>A small buffer on loan from the pool (identifier values, systems and the associated data are short).</summary>
    private readonly ref struct Scratch
    {
        private readonly byte[] _rented;

        public Scratch(int length)
        {
            _rented = ArrayPool<byte>.Shared.Rent(Math.Max(length, ScratchSize));
            Buffer = _rented.AsSpan(0, length);
        }

        public Span<byte> Buffer { get; }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_rented);
    }
}
