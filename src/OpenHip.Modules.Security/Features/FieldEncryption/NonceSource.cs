using System.Security.Cryptography;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// The random SM4-GCM nonces of field encryption, drawn from the system's CSPRNG a block at a time: each
/// <see cref="RandomNumberGenerator"/> call is OpenSSL's <c>RAND_bytes</c>, whose locks and DRBG set-up cost about 4 µs
/// whether it returns 12 bytes or 768 (a quarter of the protection cost of a Patient in the load driver's profile). Every
/// byte is handed out once, so nonces are exactly as unique as 96 random bits make them; they are stored beside each
/// ciphertext in the clear anyway, so holding the next few in memory gives nothing away.
/// </summary>
internal static class NonceSource
{
    private const int BlockSize = 64 * Sm4Gcm.NonceSize;

    [ThreadStatic]
    private static byte[]? _block;

    [ThreadStatic]
    private static int _next;

    /// <summary>Fills <paramref name="nonce"/> (at most a block) with random bytes no other call gets.</summary>
    public static void Fill(Span<byte> nonce)
    {
        if (nonce.Length > BlockSize)
        {
            RandomNumberGenerator.Fill(nonce);
            return;
        }

        byte[]? block = _block;
        if (block is null || _next + nonce.Length > BlockSize)
        {
            block = _block ??= new byte[BlockSize];
            RandomNumberGenerator.Fill(block);
            _next = 0;
        }

        Span<byte> taken = block.AsSpan(_next, nonce.Length);
        taken.CopyTo(nonce);
        taken.Clear();
        _next += nonce.Length;
    }
}
