using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>A parameter of a single type (everything but composite): each selected value converted on its own.</summary>
internal sealed class ValueParameterExtractor(string code, SearchParamType type, IndexPath path, IndexValueConverter convert) : ParameterExtractor(code)
{
    public SearchParamType Type => type;

    public IndexPath Path => path;

    public override void Extract(Resource resource, ref PocoNode? root, List<Base> scratch, ICollection<IndexEntry> into)
    {
        path.Select(resource, ref root, scratch);
        for (int i = 0; i < scratch.Count; i++)
        {
            convert(Code, scratch[i], into);
        }

        scratch.Clear();
    }
}
