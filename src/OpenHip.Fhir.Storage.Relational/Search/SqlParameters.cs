namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// The values of one statement. Every value from a query becomes a parameter; equal values share one, so a
/// type list repeated by every leaf costs one binding.
/// </summary>
public sealed class SqlParameters(ISqlDialect dialect)
{
    private readonly List<KeyValuePair<string, object?>> _values = [];
    private readonly Dictionary<object, string> _byValue = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Values => _values;

    /// <summary>The dialect the statement is written in.</summary>
    public ISqlDialect Dialect => dialect;

    /// <summary>Adds a value and returns its placeholder as it appears in SQL text.</summary>
    public string Add(object? value)
    {
        if (value is not null && _byValue.TryGetValue(value, out string? existing))
        {
            return existing;
        }

        string name = "p" + _values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _values.Add(new(name, value));
        string placeholder = dialect.Parameter(name);
        if (value is not null)
        {
            _byValue[value] = placeholder;
        }

        return placeholder;
    }

    /// <summary>A comma-separated placeholder list for an IN (...) clause.</summary>
    public string AddList(IEnumerable<object> values) => string.Join(", ", values.Select(Add));
}

/// <summary>A statement ready to run: text built from fixed fragments plus its parameter values.</summary>
public sealed record CompiledSql(string Text, IReadOnlyList<KeyValuePair<string, object?>> Parameters);
