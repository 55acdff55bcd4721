using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>
/// SM4 (GB/T 32907-2016) in Galois/Counter Mode as RFC 8998 uses it: 128-bit key, 96-bit nonce, 128-bit tag.
/// The output is ciphertext followed by the tag, as in RFC 8998's vectors and most AEAD APIs.
/// </summary>
public static class Sm4Gcm
{
    public const int KeySize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <returns>ciphertext || tag (plaintext length + 16 bytes).</returns>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        byte[] output = new byte[plaintext.Length + TagSize];
        Encrypt(key, nonce, plaintext, aad, output);
        return output;
    }

    /// <summary>Writes ciphertext || tag into <paramref name="destination"/>, which takes plaintext length + 16 bytes.</summary>
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad, Span<byte> destination)
    {
        if (destination.Length < plaintext.Length + TagSize)
        {
            throw new ArgumentException("The destination is shorter than the plaintext and its tag.", nameof(destination));
        }

        GcmBlockCipher cipher = Create(forEncryption: true, key, nonce, aad);
        int written = cipher.ProcessBytes(plaintext, destination);
        cipher.DoFinal(destination[written..]);
    }

    /// <summary>A fresh random nonce. A nonce must never repeat under one key: GCM's confidentiality and integrity both fail then.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceSize);

    /// <param name="ciphertextAndTag">ciphertext || tag, as <see cref="Encrypt"/> returns it.</param>
    /// <exception cref="CryptographicException">The tag does not match: wrong key, nonce or AAD, or altered bytes.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> aad)
    {
        if (ciphertextAndTag.Length < TagSize)
        {
            throw new CryptographicException("SM4-GCM ciphertext is shorter than its tag.");
        }

        GcmBlockCipher cipher = Create(forEncryption: false, key, nonce, aad);
        byte[] output = new byte[cipher.GetOutputSize(ciphertextAndTag.Length)];
        try
        {
            int written = cipher.ProcessBytes(ciphertextAndTag, output);
            cipher.DoFinal(output.AsSpan(written));
        }
        catch (InvalidCipherTextException ex)
        {
            // Nothing of the unauthenticated plaintext leaves: the caller gets an error, never garbage.
            CryptographicOperations.ZeroMemory(output);
            throw new CryptographicException("SM4-GCM authentication failed (wrong key, nonce or associated data, or altered ciphertext).", ex);
        }

        return output;
    }

    /// <summary>
    /// The last key this thread used and its cipher. Initialising a GCM cipher with a key runs the SM4 key schedule and
    /// derives the hash subkey (and, without carry-less multiply, 4 KB of multiplier tables); field encryption uses one
    /// data key for thousands of values, so the cipher is re-initialised with only a new nonce and associated data while
    /// the key is the same (BouncyCastle keeps the key-dependent state when the parameters carry no key). Field values get
    /// random nonces; a caller repeating one on purpose (the known-answer tests) gets a fresh cipher, because
    /// BouncyCastle refuses to encrypt under a kept key with the nonce it last saw.
    /// </summary>
    [ThreadStatic]
    private static CachedCipher? _cached;

    private static GcmBlockCipher Create(bool forEncryption, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"An SM4 key is {KeySize} bytes.", nameof(key));
        }

        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"An SM4-GCM nonce is {NonceSize} bytes (RFC 8998).", nameof(nonce));
        }

        CachedCipher? cached = _cached;
        bool sameKey = cached is not null && CryptographicOperations.FixedTimeEquals(cached.Key, key) && !nonce.SequenceEqual(cached.Nonce);
        _cached = null; // a failure half-way leaves no cipher of unknown state behind
        GcmBlockCipher cipher = sameKey ? cached!.Cipher : new GcmBlockCipher(new SM4Engine());
        KeyParameter? keyParameter = sameKey ? null : new KeyParameter(key);
        // A new nonce array each time: BouncyCastle keeps a reference to the last one to refuse a repeat.
        byte[] nonceCopy = nonce.ToArray();
        cipher.Init(forEncryption, new AeadParameters(keyParameter, TagSize * 8, nonceCopy, aad.ToArray()));
        if (sameKey)
        {
            cached!.Nonce = nonceCopy;
        }
        else
        {
            cached = new CachedCipher(key.ToArray(), cipher) { Nonce = nonceCopy };
        }

        _cached = cached;
        return cipher;
    }

    private sealed class CachedCipher(byte[] key, GcmBlockCipher cipher)
    {
        public byte[] Key => key;

        public GcmBlockCipher Cipher => cipher;

        public required byte[] Nonce { get; set; }
    }
}
