using System.Buffers;
using System.Buffers.Text;
using System.Text;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// The keyed hash (HMAC-SM3) that stands in the search index for a protected value, so <c>identifier=system|value</c>
/// still finds it by equality. It depends on the value only (not on its system), so a search without a system can look
/// for it too. Its key is separate from the data keys and never rotates: a new one would need a full reindex.
/// </summary>
internal sealed class BlindIndex(byte[] key)
{
    /// <summary>Marks an index code as a blind index; no real code or identifier begins like this.</summary>
    public const string Prefix = "bi.";

    private const int StackLimit = 256;

    /// <summary>Every protected value of a write is blinded once or twice (its code and its of-type code), so the
    /// UTF-8 bytes and the MAC stay on the stack and only the code string is allocated.</summary>
    public string Of(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = max > StackLimit ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[StackLimit];
        int length = Encoding.UTF8.GetBytes(value, utf8);
        Span<byte> mac = stackalloc byte[Sm3.HashSize];
        Sm3.Hmac(key, utf8[..length], mac);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        Span<char> code = stackalloc char[Prefix.Length + Base64Url.GetEncodedLength(Sm3.HashSize)];
        Prefix.CopyTo(code);
        Base64Url.EncodeToChars(mac, code[Prefix.Length..]);
        return new string(code);
    }
}
