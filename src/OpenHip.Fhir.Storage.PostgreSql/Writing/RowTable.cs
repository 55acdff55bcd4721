using Npgsql;
using NpgsqlTypes;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// The rows of one table gathered as column lists, to be sent as arrays (<c>unnest</c>).
/// </summary>
internal sealed class RowTable(RowTable.Shape shape)
{
    private readonly List<object?>[] _values = [.. shape.Columns.Select(_ => new List<object?>())];

    /// <summary>A table's name, columns and what an insert into it adds after its rows (e.g. a conflict clause).</summary>
    internal sealed record Shape(string Name, (string Column, NpgsqlDbType Type)[] Columns, string Suffix = "")
    {
        public string ColumnList { get; } = string.Join(", ", Columns.Select(c => c.Column));
    }

    public Shape Of => shape;

    public int Count => _values[0].Count;

    public void Add(params object?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            _values[i].Add(values[i]);
        }
    }

    /// <summary><c>INSERT INTO t (...) SELECT * FROM unnest($first::type[], ...)</c>, numbering parameters from <paramref name="first"/>.</summary>
    public static string InsertSql(Shape shape, int first)
    {
        string arrays = string.Join(", ", shape.Columns.Select((c, i) => $"${first + i}::{SqlType(c.Type)}[]"));
        return $"INSERT INTO {shape.Name} ({shape.ColumnList}) SELECT * FROM unnest({arrays}){shape.Suffix}";
    }

    /// <summary>One array parameter per column, in column order.</summary>
    public void AddParameters(NpgsqlParameterCollection parameters)
    {
        for (int i = 0; i < shape.Columns.Length; i++)
        {
            parameters.Add(Column(shape.Columns[i].Type, _values[i]));
        }
    }

    private static NpgsqlParameter Column(NpgsqlDbType type, List<object?> values) => type switch
    {
        NpgsqlDbType.Text => new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = [.. values.Cast<string?>()] },
        NpgsqlDbType.Bigint => new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = [.. values.Cast<long>()] },
        NpgsqlDbType.Integer => new NpgsqlParameter<int?[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = [.. values.Cast<int?>()] },
        NpgsqlDbType.Double => new NpgsqlParameter<double?[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = [.. values.Cast<double?>()] },
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static string SqlType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Bigint => "bigint",
        NpgsqlDbType.Integer => "integer",
        NpgsqlDbType.Double => "double precision",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
