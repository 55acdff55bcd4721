using System.Text;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>One step of a plain index path (see <see cref="PathParser"/>).</summary>
/// <param name="Index">For <see cref="PathStepKind.Child"/>: the one list item to take (<c>entry[0]</c>), or -1 for all.</param>
/// <param name="ClrType">For <see cref="PathStepKind.OfType"/>: the POCO type the name stands for, when Firely knows it.</param>
internal readonly record struct PathStep(PathStepKind Kind, string Name, string? Value = null, int Index = -1, Type? ClrType = null)
{
    private readonly string _name = Name;
    private readonly byte[] _utf8Name = Encoding.UTF8.GetBytes(Name);

    public string Name
    {
        get => _name;
        init
        {
            _name = value;
            _utf8Name = Encoding.UTF8.GetBytes(value);
        }
    }

    /// <summary>
    /// <see cref="Name"/> in UTF-8, for the JSON walk's member lookups: a lookup by a .NET string transcodes the name on
    /// every call, once per step of every resource an import indexes. Derived from the name, so left out of equality.
    /// </summary>
    public byte[] Utf8Name => _utf8Name;

    public bool Equals(PathStep other) =>
        Kind == other.Kind && _name == other._name && Value == other.Value && Index == other.Index && ClrType == other.ClrType;

    public override int GetHashCode() => HashCode.Combine(Kind, _name, Value, Index, ClrType);
}
