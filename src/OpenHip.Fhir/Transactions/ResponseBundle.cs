using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Transactions;

/// <summary>
/// A Bundle the server answers with (history, transaction-response, batch-response, later searchset). Entries keep
/// stored JSON as bytes so the HTTP layer can splice them into a JSON response without re-serialising.
/// </summary>
public sealed class ResponseBundle(Bundle.BundleType type)
{
    public Bundle.BundleType Type { get; } = type;

    public long? Total { get; init; }

    public List<KeyValuePair<string, string>> Links { get; } = [];

    public List<ResponseEntry> Entries { get; } = [];
}
