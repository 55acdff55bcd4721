using System.Security.Cryptography;
using System.Text;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>The key-encryption key: wraps and unwraps the data keys and the blind-index key kept in the store.</summary>
internal sealed class KeyEncryptionKey
{
    private readonly byte[] _key;

    private KeyEncryptionKey(byte[] key) => _key = key;

    /// <summary>From the options: <c>Kek</c> (hex or base64) or the file <c>KekFile</c>.</summary>
    /// <exception cref="CryptoStartupException">Neither given, unreadable, or not 16 bytes.</exception>
    public static KeyEncryptionKey From(FieldEncryptionOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Kek))
        {
            return new KeyEncryptionKey(Parse(options.Kek.Trim(), FieldEncryptionOptions.KekKey));
        }

        if (string.IsNullOrWhiteSpace(options.KekFile))
        {
            throw new CryptoStartupException($"field encryption: no key-encryption key ({FieldEncryptionOptions.KekKey} or {FieldEncryptionOptions.KekFileKey}).");
        }

        byte[] content;
        try
        {
            content = File.ReadAllBytes(options.KekFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CryptoStartupException($"field encryption: cannot read the key-encryption key file {options.KekFile} ({ex.GetType().Name}).", ex);
        }

        return new KeyEncryptionKey(content.Length == Sm4Gcm.KeySize
            ? content
            : Parse(Encoding.UTF8.GetString(content).Trim(), FieldEncryptionOptions.KekFileKey));
    }

    public static string NewKeyText() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Sm4Gcm.KeySize));

    public string Wrap(byte[] key, string label)
    {
        byte[] nonce = Sm4Gcm.NewNonce();
        return Convert.ToBase64String([.. nonce, .. Sm4Gcm.Encrypt(_key, nonce, key, Encoding.UTF8.GetBytes(label))]);
    }

    /// <exception cref="CryptographicException">Wrapped under another key-encryption key, or altered.</exception>
    public byte[] Unwrap(string wrapped, string label)
    {
        byte[] bytes = Convert.FromBase64String(wrapped);
        return Sm4Gcm.Decrypt(_key, bytes.AsSpan(0, Sm4Gcm.NonceSize), bytes.AsSpan(Sm4Gcm.NonceSize), Encoding.UTF8.GetBytes(label));
    }

    private static byte[] Parse(string text, string setting)
    {
        byte[]? key = null;
        if (text.Length == Sm4Gcm.KeySize * 2 && text.All(char.IsAsciiHexDigit))
        {
            key = Convert.FromHexString(text);
        }
        else
        {
            byte[] buffer = new byte[text.Length];
            if (Convert.TryFromBase64String(text, buffer, out int written))
            {
                key = buffer[..written];
            }
        }

        return key is { Length: Sm4Gcm.KeySize }
            ? key
            : throw new CryptoStartupException($"field encryption: {setting} must be a 16-byte SM4 key as 32 hex digits or base64.");
    }
}
