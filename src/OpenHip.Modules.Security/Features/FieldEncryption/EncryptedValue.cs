using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// An encrypted element value as it stands in the stored JSON, in place of the plaintext:
/// <c>enc.sm4gcm.&lt;key id&gt;.&lt;base64url(nonce || ciphertext || tag)&gt;</c>. It is still a FHIR string, so the stored
/// document stays parseable; the associated data binds it to its resource and system (<c>Type/id|system</c>), so a value
/// copied into another resource or under another system fails its tag instead of decrypting there.
/// </summary>
internal static class EncryptedValue
{
    public const string Prefix = "enc.sm4gcm.";

    /// <summary>What <see cref="ProtectedFhirStore"/> looks for before parsing a stored document at all.</summary>
    public static ReadOnlySpan<byte> JsonMarker => "\"enc.sm4gcm."u8;

    public static bool IsEncrypted(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Encrypt(DataKey key, string plaintext, string type, string id, string? system)
    {
        byte[] nonce = Sm4Gcm.NewNonce();
        byte[] sealedBytes = Sm4Gcm.Encrypt(key.Material, nonce, Encoding.UTF8.GetBytes(plaintext), AssociatedData(type, id, system));
        return Prefix + key.Id + "." + Base64Url.EncodeToString([.. nonce, .. sealedBytes]);
    }

    /// <summary>The key id of an encrypted value.</summary>
    /// <exception cref="CryptographicException">Not of the form this class writes.</exception>
    public static string KeyIdOf(string value)
    {
        int dot = value.IndexOf('.', Prefix.Length);
        return dot > Prefix.Length ? value[Prefix.Length..dot] : throw new CryptographicException("A protected value is malformed.");
    }

    /// <exception cref="CryptographicException">Altered, moved to another resource or system, or malformed.</exception>
    public static string Decrypt(DataKey key, string value, string type, string id, string? system)
    {
        int dot = value.IndexOf('.', Prefix.Length);
        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(value.AsSpan(dot + 1));
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("A protected value is malformed.", ex);
        }

        if (payload.Length < Sm4Gcm.NonceSize + Sm4Gcm.TagSize)
        {
            throw new CryptographicException("A protected value is malformed.");
        }

        byte[] plaintext = Sm4Gcm.Decrypt(
            key.Material, payload.AsSpan(0, Sm4Gcm.NonceSize), payload.AsSpan(Sm4Gcm.NonceSize), AssociatedData(type, id, system));
        return Encoding.UTF8.GetString(plaintext);
    }

    private static byte[] AssociatedData(string type, string id, string? system) => Encoding.UTF8.GetBytes($"{type}/{id}|{system}");
}
