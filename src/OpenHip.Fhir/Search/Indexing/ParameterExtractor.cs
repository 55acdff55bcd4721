using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>One search parameter compiled for one resource type: where its values are and how they become index entries.</summary>
internal abstract class ParameterExtractor(string code)
{
    public string Code { get; } = code;

    /// <param name="root">The resource as a FHIRPath node, made on first need and shared by every parameter.</param>
    /// <param name="scratch">A reusable list for the selected values; empty on entry.</param>
    public abstract void Extract(Resource resource, ref PocoNode? root, List<Base> scratch, ICollection<IndexEntry> into);
}
