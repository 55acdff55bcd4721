using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using static OpenHip.Fhir.Search.Indexing.IndexValueConverters;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// reference: a Reference's literal reference (relative <c>Type/id</c>, or an absolute URL with the type and id it ends
/// in) and its logical identifier (a token under the same code, for <c>:identifier</c>); canonical and uri values by URL
/// with their <c>|version</c> apart; a resource selected in place (Bundle.entry[0].resource) by type and id.
/// </summary>
internal static class ReferenceValues
{
    public static void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        switch (value)
        {
            case ResourceReference reference:
                if (LiteralReference.TryParse(reference.Reference, out LiteralReference parts))
                {
                    into.Add(new ReferenceIndexEntry(parameter, parts.Type, parts.Id, parts.Url));
                }

                if (reference.Identifier is { Value.Length: > 0 } identifier)
                {
                    into.Add(new TokenIndexEntry(parameter, NullIfEmpty(identifier.System), identifier.Value));
                }

                break;
            case PrimitiveType primitive when PrimitiveText.Of(primitive) is { Length: > 0 } uri:
                AddUri(parameter, uri, into);
                break;
            case Resource { Id.Length: > 0 } resource:
                into.Add(new ReferenceIndexEntry(parameter, resource.TypeName, resource.Id, null));
                break;
        }
    }

    public static void AddUri(string parameter, string uri, ICollection<IndexEntry> into)
    {
        if (uri[0] == '#')
        {
            return; // a contained canonical: nothing outside this resource to find it by
        }

        int bar = uri.IndexOf('|', StringComparison.Ordinal);
        string url = bar >= 0 ? uri[..bar] : uri;
        string? version = bar >= 0 ? NullIfEmpty(uri[(bar + 1)..]) : null;
        if (!LiteralReference.TryParse(url, out LiteralReference parts))
        {
            parts = new LiteralReference(null, null, url);
        }

        into.Add(new ReferenceIndexEntry(parameter, parts.Type, parts.Id, parts.Url, version));
    }
}
