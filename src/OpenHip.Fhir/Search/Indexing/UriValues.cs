using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>uri: uri, url, canonical, oid and uuid values as written (a canonical keeps its <c>|version</c> here).</summary>
internal static class UriValues
{
    public static void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        if (value is PrimitiveType primitive && PrimitiveText.Of(primitive) is { Length: > 0 } uri)
        {
            into.Add(new UriIndexEntry(parameter, uri));
        }
    }
}
