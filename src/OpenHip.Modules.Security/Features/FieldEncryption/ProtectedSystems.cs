using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>The systems whose values are encrypted, and the byte patterns that tell cheaply whether a JSON document may hold one.</summary>
internal sealed class ProtectedSystems
{
    private readonly string[] _exact;
    private readonly string[] _prefixes;
    private readonly byte[][] _exactUtf8;
    private readonly byte[][] _prefixesUtf8;
    private readonly byte[][] _markers;

    public ProtectedSystems(IEnumerable<string> systems)
    {
        string[] all = [.. systems.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal)];
        _exact = [.. all.Where(s => !s.EndsWith('/'))];
        _prefixes = [.. all.Where(s => s.EndsWith('/'))];
        _exactUtf8 = [.. _exact.Select(Encoding.UTF8.GetBytes)];
        _prefixesUtf8 = [.. _prefixes.Select(Encoding.UTF8.GetBytes)];

        // The system as a JSON string starts with a quote; exact systems also end with one. Both the plain and the
        // default-escaped spelling are looked for, so a serializer that escapes differently cannot slip a value past.
        _markers = [.. all.SelectMany(s => new[] { Quoted(s, !s.EndsWith('/')), Quoted(JsonEncodedText.Encode(s, JavaScriptEncoder.Default).ToString(), !s.EndsWith('/')) })
            .Distinct(StringComparer.Ordinal)
            .Select(Encoding.UTF8.GetBytes)];
    }

    public bool IsEmpty => _exact.Length == 0 && _prefixes.Length == 0;

    public bool IsProtected(string? system) =>
        system is { Length: > 0 }
        && (Array.IndexOf(_exact, system) >= 0 || Array.Exists(_prefixes, p => system.StartsWith(p, StringComparison.Ordinal)));

    /// <summary>The same test on a system as UTF-8 (unescaped) taken from a JSON document, without making a string of it.</summary>
    public bool IsProtected(ReadOnlySpan<byte> system)
    {
        if (system.IsEmpty)
        {
            return false;
        }

        foreach (byte[] exact in _exactUtf8)
        {
            if (system.SequenceEqual(exact))
            {
                return true;
            }
        }

        foreach (byte[] prefix in _prefixesUtf8)
        {
            if (system.StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>False when the document certainly holds no protected system (most resources): then it is stored as it is.</summary>
    public bool MayOccurIn(ReadOnlySpan<byte> json)
    {
        foreach (byte[] marker in _markers)
        {
            if (json.IndexOf(marker) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string Quoted(string system, bool closed) => closed ? $"\"{system}\"" : $"\"{system}";
}
