using System.Globalization;
using OpenHip.Modules.Surveillance.Domain;

namespace OpenHip.Modules.Surveillance.Features.OfflineDetection;

/// <summary>
/// <c>k=v</c> parameters of one detector run, read by typed getters; any parameter no getter asked for is an error
/// (a misspelt control must not silently fall back to its default).
/// </summary>
internal sealed class DetectorParameters
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public DetectorParameters(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"parameter '{pair}' is not of the form name=value");
            }

            if (!_values.TryAdd(pair[..equals].Trim(), pair[(equals + 1)..].Trim()))
            {
                throw new ArgumentException($"parameter '{pair[..equals]}' is given twice");
            }
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Text(string name)
    {
        _known.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public double? Number(string name) => Parse<double>(name, s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null, "a number");

    public int? Integer(string name) => Parse<int>(name, s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null, "a whole number");

    public bool? Flag(string name) => Parse<bool>(name, s => s.ToUpperInvariant() switch { "TRUE" or "1" or "YES" => true, "FALSE" or "0" or "NO" => false, _ => null }, "true or false");

    /// <summary>A 1-based inclusive range written <c>first:last</c> (R's notation).</summary>
    public MonitoredRange? Range(string name = "range")
    {
        string? text = Text(name);
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int first) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int last))
        {
            return new MonitoredRange(first, last);
        }

        throw new ArgumentException($"parameter '{name}' must be first:last, e.g. 264:312 (got '{text}')");
    }

    /// <summary>One of the allowed words (case-insensitive), or null when absent.</summary>
    public string? Choice(string name, params string[] allowed)
    {
        string? text = Text(name);
        if (text is null)
        {
            return null;
        }

        return allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"parameter '{name}' must be one of {string.Join(", ", allowed)} (got '{text}')");
    }

    /// <summary>Throws for parameters that the algorithm did not read.</summary>
    public void RejectUnknown(string algorithm)
    {
        string[] unknown = _values.Keys.Where(k => !_known.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"unknown parameter{(unknown.Length > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))} for {algorithm}; known: {string.Join(", ", _known.Order(StringComparer.Ordinal))}");
        }
    }

    private T? Parse<T>(string name, Func<string, T?> parse, string expected)
        where T : struct
    {
        string? text = Text(name);
        if (text is null)
        {
            return null;
        }

        return parse(text) ?? throw new ArgumentException($"parameter '{name}' must be {expected} (got '{text}')");
    }
}
