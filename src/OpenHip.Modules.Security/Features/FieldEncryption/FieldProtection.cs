using System.Security.Cryptography;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>Protects one write and reveals one stored version: the JSON, the index, and the keys they need.</summary>
internal sealed class FieldProtection(FieldKeyRing keys, ProtectedSystems systems, IReadOnlySet<string> unqualifiedParameters)
{
    public FieldKeyRing Keys => keys;

    public IndexProtector Index { get; } = new(systems, keys.BlindIndex);

    public SearchProtector Search { get; } = new(systems, keys.BlindIndex, unqualifiedParameters);

    public ResourceWrite Protect(ResourceWrite write, DataKey key)
    {
        if (write.IsDelete)
        {
            return write;
        }

        (byte[] Json, HashSet<string> Plaintexts)? result = JsonFieldProtector.Protect(write.Json, systems, key, write.Type, write.Id);

        // Index entries under a protected system are blinded even when the document held nothing to encrypt.
        IReadOnlySet<string> plaintexts = result?.Plaintexts ?? (IReadOnlySet<string>)EmptySet;
        IReadOnlyList<IndexEntry> index = Index.Protect(write.Index, plaintexts);
        return result is null && ReferenceEquals(index, write.Index) ? write : write with { Json = result?.Json ?? write.Json, Index = index };
    }

    /// <summary>The version with its values decrypted (itself when it holds none), and the plaintexts.</summary>
    /// <exception cref="CryptographicException">A value was altered or moved, or its data key is missing.</exception>
    public async ValueTask<(StoredResource Resource, IReadOnlySet<string> Plaintexts)> RevealAsync(StoredResource stored, CancellationToken ct)
    {
        if (!JsonFieldProtector.NeedsReveal(stored.Json.Span))
        {
            return (stored, EmptySet);
        }

        while (true)
        {
            try
            {
                (byte[] json, HashSet<string> plaintexts) = JsonFieldProtector.Reveal(stored.Json.Span, Lookup, stored.Type, stored.Id);
                return (stored with { Json = json }, plaintexts);
            }
            catch (KeyNotLoadedException missing)
            {
                // A key written by a node that rotated after this one last looked: load it (or fail) and decrypt again.
                await keys.GetAsync(missing.KeyId, ct).ConfigureAwait(false);
            }
        }
    }

    private static readonly HashSet<string> EmptySet = [];

    private DataKey Lookup(string id) =>
        keys.TryGet(id, out DataKey key) ? key : throw new KeyNotLoadedException(id);

    private sealed class KeyNotLoadedException(string keyId) : Exception("Field encryption: data key " + keyId + " is not loaded.")
    {
        public string KeyId => keyId;
    }
}
