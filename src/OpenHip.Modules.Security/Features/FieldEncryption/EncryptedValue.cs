using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// An encrypted element value as it stands in the stored JSON, in place of the plaintext:
/// <c>enc.sm4gcm.&lt;key id&gt;.&lt;base64url(nonce || ciphertext || tag)&gt;</c>. It is still a FHIR string, so the stored
/// document stays parseable; the associated data binds it to its resource and system (<c>Type/id|system</c>), so a value
/// copied into another resource or under another system fails its tag instead of decrypting there. The text is ASCII
/// (hex key ids, base64url), so it goes into JSON without escaping.
/// </summary>
internal static class EncryptedValue
{
    public const string Prefix = "enc.sm4gcm.";

    private const int StackLimit = 256;

    public static ReadOnlySpan<byte> PrefixUtf8 => "enc.sm4gcm."u8;

    /// <summary>What <see cref="ProtectedFhirStore"/> looks for before parsing a stored document at all.</summary>
    public static ReadOnlySpan<byte> JsonMarker => "\"enc.sm4gcm."u8;

    public static bool IsEncrypted(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool IsEncrypted(ReadOnlySpan<byte> utf8) => utf8.StartsWith(PrefixUtf8);

    public static string Encrypt(DataKey key, string plaintext, string type, string id, string? system) =>
        Encoding.ASCII.GetString(EncryptUtf8(key, Encoding.UTF8.GetBytes(plaintext), AssociatedData(type, id, system)));

    /// <summary>The encrypted text of a UTF-8 plaintext; <paramref name="associatedData"/> from <see cref="AssociatedData"/>.</summary>
    public static byte[] EncryptUtf8(DataKey key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        int payloadLength = Sm4Gcm.NonceSize + plaintext.Length + Sm4Gcm.TagSize;
        byte[]? rented = payloadLength > StackLimit ? ArrayPool<byte>.Shared.Rent(payloadLength) : null;
        Span<byte> payload = (rented ?? stackalloc byte[StackLimit])[..payloadLength];
        Span<byte> nonce = payload[..Sm4Gcm.NonceSize];
        NonceSource.Fill(nonce);
        Sm4Gcm.Encrypt(key.Material, nonce, plaintext, associatedData, payload[Sm4Gcm.NonceSize..]);

        int idLength = Encoding.UTF8.GetByteCount(key.Id);
        byte[] text = new byte[PrefixUtf8.Length + idLength + 1 + Base64Url.GetEncodedLength(payloadLength)];
        PrefixUtf8.CopyTo(text);
        int at = PrefixUtf8.Length + Encoding.UTF8.GetBytes(key.Id, text.AsSpan(PrefixUtf8.Length));
        text[at++] = (byte)'.';
        Base64Url.EncodeToUtf8(payload, text.AsSpan(at));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return text;
    }

    /// <summary>The key id of an encrypted value.</summary>
    /// <exception cref="CryptographicException">Not of the form this class writes.</exception>
    public static string KeyIdOf(string value) => KeyIdOf(Encoding.UTF8.GetBytes(value));

    /// <inheritdoc cref="KeyIdOf(string)"/>
    public static string KeyIdOf(ReadOnlySpan<byte> value)
    {
        int dot = value.Length > PrefixUtf8.Length ? value[PrefixUtf8.Length..].IndexOf((byte)'.') : -1;
        return dot > 0 ? Encoding.UTF8.GetString(value.Slice(PrefixUtf8.Length, dot)) : throw new CryptographicException("A protected value is malformed.");
    }

    /// <exception cref="CryptographicException">Altered, moved to another resource or system, or malformed.</exception>
    public static string Decrypt(DataKey key, string value, string type, string id, string? system) =>
        Encoding.UTF8.GetString(DecryptUtf8(key, Encoding.UTF8.GetBytes(value), AssociatedData(type, id, system)));

    /// <summary>The UTF-8 plaintext of an encrypted value's text.</summary>
    /// <exception cref="CryptographicException">Altered, moved to another resource or system, or malformed.</exception>
    public static byte[] DecryptUtf8(DataKey key, ReadOnlySpan<byte> value, ReadOnlySpan<byte> associatedData)
    {
        int dot = value.Length > PrefixUtf8.Length ? value[PrefixUtf8.Length..].IndexOf((byte)'.') : -1;
        if (dot < 0)
        {
            throw new CryptographicException("A protected value is malformed.");
        }

        ReadOnlySpan<byte> encoded = value[(PrefixUtf8.Length + dot + 1)..];
        int maxLength = Base64Url.GetMaxDecodedLength(encoded.Length);
        byte[]? rented = maxLength > StackLimit ? ArrayPool<byte>.Shared.Rent(maxLength) : null;
        Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
        try
        {
            int length;
            try
            {
                length = Base64Url.DecodeFromUtf8(encoded, buffer);
            }
            catch (FormatException ex)
            {
                throw new CryptographicException("A protected value is malformed.", ex);
            }

            if (length < Sm4Gcm.NonceSize + Sm4Gcm.TagSize)
            {
                throw new CryptographicException("A protected value is malformed.");
            }

            return Sm4Gcm.Decrypt(key.Material, buffer[..Sm4Gcm.NonceSize], buffer[Sm4Gcm.NonceSize..length], associatedData);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary><c>Type/id|system</c> in UTF-8: what binds a value to its place.</summary>
    public static byte[] AssociatedData(string type, string id, string? system) => Encoding.UTF8.GetBytes($"{type}/{id}|{system}");

    /// <summary><c>Type/id|system</c> in UTF-8 with the system as the document spells it (unescaped UTF-8), into <paramref name="destination"/>.</summary>
    public static int AssociatedData(string type, string id, ReadOnlySpan<byte> system, Span<byte> destination)
    {
        int at = Encoding.UTF8.GetBytes(type, destination);
        destination[at++] = (byte)'/';
        at += Encoding.UTF8.GetBytes(id, destination[at..]);
        destination[at++] = (byte)'|';
        system.CopyTo(destination[at..]);
        return at + system.Length;
    }

    /// <summary>The most bytes <see cref="AssociatedData(string, string, ReadOnlySpan{byte}, Span{byte})"/> writes.</summary>
    public static int MaxAssociatedDataLength(string type, string id, int systemLength) =>
        Encoding.UTF8.GetMaxByteCount(type.Length) + Encoding.UTF8.GetMaxByteCount(id.Length) + 2 + systemLength;
}
