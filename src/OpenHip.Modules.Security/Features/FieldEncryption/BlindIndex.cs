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

    public string Of(string value) => Prefix + Base64Url.EncodeToString(Sm3.Hmac(key, Encoding.UTF8.GetBytes(value)));
}
