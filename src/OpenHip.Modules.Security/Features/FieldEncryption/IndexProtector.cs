using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// Keeps protected values out of the index rows: token codes become their blind index (so equality search still
/// works), string and uri entries that equal a protected value are dropped (so those searches simply do not find it).
/// An entry is protected when its system is, or when its code is one of the values encrypted in the same resource —
/// which also covers ContactPoint values (indexed without a system) and custom search parameters.
/// </summary>
internal sealed class IndexProtector(ProtectedSystems systems, BlindIndex blind)
{
    public IReadOnlyList<IndexEntry> Protect(IReadOnlyList<IndexEntry> entries, IReadOnlySet<string> plaintexts)
    {
        Dictionary<string, string>? blinded = null;
        return Protect(entries, plaintexts, ref blinded);
    }

    private IReadOnlyList<IndexEntry> Protect(IReadOnlyList<IndexEntry> entries, IReadOnlySet<string> plaintexts, ref Dictionary<string, string>? blinded)
    {
        List<IndexEntry>? result = null;
        for (int i = 0; i < entries.Count; i++)
        {
            IndexEntry? protectedEntry = Protect(entries[i], plaintexts, ref blinded);
            if (result is null && !ReferenceEquals(protectedEntry, entries[i]))
            {
                result = [.. entries.Take(i)];
            }

            if (result is not null && protectedEntry is not null)
            {
                result.Add(protectedEntry);
            }
        }

        return result ?? entries;
    }

    /// <returns>The entry itself when nothing in it is protected, a changed copy, or null to drop it.</returns>
    private IndexEntry? Protect(IndexEntry entry, IReadOnlySet<string> plaintexts, ref Dictionary<string, string>? blinded)
    {
        switch (entry)
        {
            case TokenIndexEntry { Code: { } code } token when token.Parameter.EndsWith(TokenIndexEntry.OfTypeSuffix, StringComparison.Ordinal):
                // typeCode|value: the type is not sensitive, the value is.
                int bar = code.IndexOf('|', StringComparison.Ordinal);
                return bar >= 0 && plaintexts.Contains(code[(bar + 1)..]) ? token with { Code = code[..(bar + 1)] + Blind(code[(bar + 1)..], ref blinded) } : token;
            case TokenIndexEntry { Code: { } code } token when systems.IsProtected(token.System) || plaintexts.Contains(code):
                return token with { Code = Blind(code, ref blinded) };
            case StringIndexEntry text when plaintexts.Contains(text.Exact):
                return null;
            case UriIndexEntry uri when plaintexts.Contains(uri.Uri):
                return null;
            case CompositeIndexEntry composite:
                IReadOnlyList<IndexEntry> components = Protect(composite.Components, plaintexts, ref blinded);
                return ReferenceEquals(components, composite.Components) ? composite
                    : components.Count == composite.Components.Count ? composite with { Components = components } : null;
            default:
                return entry;
        }
    }

    /// <summary>A protected value is indexed under its parameter and again under <c>:of-type</c>: one HMAC serves both.</summary>
    private string Blind(string value, ref Dictionary<string, string>? blinded)
    {
        blinded ??= new(StringComparer.Ordinal);
        if (!blinded.TryGetValue(value, out string? code))
        {
            code = blind.Of(value);
            blinded[value] = code;
        }

        return code;
    }
}
