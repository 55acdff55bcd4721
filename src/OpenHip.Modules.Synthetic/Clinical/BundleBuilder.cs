using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic.Domain;

namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>Collects POST entries with generated urn:uuid fullUrls and stamps meta.source on each resource.</summary>
internal sealed class BundleBuilder(DeterministicRandom random)
{
    public const string UuidPrefix = "urn:uuid:";

    private readonly Bundle _bundle = new() { Type = Bundle.BundleType.Transaction };

    public Bundle Bundle => _bundle;

    public int Count => _bundle.Entry.Count;

    /// <summary>Adds the resource and returns its fullUrl, which is also how others in the bundle reference it.</summary>
    public string Add(Resource resource, string source)
    {
        string fullUrl = UuidPrefix + random.NextGuid().ToString("D");
        resource.Meta = new Meta { Source = source };
        _bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = fullUrl,
            Resource = resource,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName },
        });
        return fullUrl;
    }

    public static string IdOf(string fullUrl) => fullUrl[UuidPrefix.Length..];
}
